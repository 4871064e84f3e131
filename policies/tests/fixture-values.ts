/** Values shared by the policy fixtures. */

/** A content digest for pinned images. */
export const DIGEST = `sha256:${"0123456789abcdef".repeat(4)}`;

/** A generated-looking password (what random.RandomPassword yields). */
export const GENERATED = "q7Vd-Lx2pR9wTz4KmB8nYc3H";

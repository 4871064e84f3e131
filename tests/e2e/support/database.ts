import { expect } from "vitest";
import { sql, sqlRefusal } from "./clients";

/* The database as the end-to-end tiers check it. */

/**
 * Writes the canary table as the consumer, then expects the login to be the consumer's own role,
 * refused database creation, and refused with a wrong password.
 */
export async function consumerConfined(url: string): Promise<void> {
    await sql(url, "CREATE TABLE canary (v text); INSERT INTO canary VALUES ('alive')");
    expect(await sql(url, "SELECT current_user AS u")).toEqual([{ u: "lakehouse" }]);
    expect(await sqlRefusal(url, "CREATE DATABASE stolen")).toMatch(/permission denied to create database/);
    const wrong = new URL(url);
    wrong.password = "not-the-password";
    expect(await sqlRefusal(wrong.toString(), "SELECT 1")).toMatch(/password authentication failed/);
}

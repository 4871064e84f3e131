import * as pulumi from "@pulumi/pulumi";
import type { IcebergCatalogAccess, S3Access } from "../../src/types";

/** The catalog as an engine's config file needs it, resolved to plain values (credentials included). */
export type ResolvedCatalog =
    | {
          readonly kind: "jdbc";
          readonly name: string;
          readonly location: string;
          readonly jdbcUrl: string;
          readonly user: string;
          readonly password: string;
      }
    | {
          readonly kind: "rest";
          readonly name: string;
          readonly location: string;
          readonly uri: string;
          /** Unset where the catalog authenticates nobody (lakekeeper). */
          readonly credential?: string;
          readonly scope?: string;
      };

/** The engine's own S3 key and the in-network endpoint, resolved. */
export interface ResolvedS3 {
    /** `s3a://bucket[/prefix]`: where the key reaches, for Hadoop clients. */
    readonly lake: string;
    readonly endpoint: string;
    readonly region: string;
    readonly accessKeyId: string;
    readonly secretAccessKey: string;
}

/** Resolves what an engine's config needs from its catalog login and S3 key, through the platform network. */
export function resolveCatalog(catalog: IcebergCatalogAccess, s3: S3Access): pulumi.Output<{ catalog: ResolvedCatalog; s3: ResolvedS3 }> {
    const base = { name: catalog.name, location: catalog.location };
    const resolved: pulumi.Output<ResolvedCatalog> =
        catalog.kind === "jdbc"
            ? pulumi
                  .all([catalog.jdbc.jdbcUrl, catalog.jdbc.user, catalog.jdbc.password])
                  .apply(([jdbcUrl, user, password]) => ({ kind: "jdbc" as const, ...base, jdbcUrl, user, password }))
            : pulumi
                  .all([catalog.uri, catalog.credential])
                  .apply(([uri, credential]) => ({ kind: "rest" as const, ...base, uri, ...restAuth(credential, catalog.scope) }));
    const c = s3.credentials;
    return pulumi.all([resolved, c.accessKeyId, c.secretAccessKey]).apply(([cat, accessKeyId, secretAccessKey]) => ({
        catalog: cat,
        s3: { lake: s3.location.s3aUri.replace(/\/$/, ""), endpoint: s3.internalUrl, region: s3.region, accessKeyId, secretAccessKey },
    }));
}

/** The OAuth2 pair where the catalog has one; nothing where it authenticates nobody. */
function restAuth(credential: string | undefined, scope: string | undefined): { credential?: string; scope?: string } {
    return credential === undefined ? {} : { credential, scope };
}

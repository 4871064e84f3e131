import * as pulumi from "@pulumi/pulumi";
import type { IcebergCatalogAccess, S3Access } from "../../src/types";
import { resolveS3, type ResolvedS3 } from "../objectStore/s3a";

export type { ResolvedS3 } from "../objectStore/s3a";

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
    return pulumi.all([resolved, resolveS3(s3)]).apply(([cat, r]) => ({ catalog: cat, s3: r }));
}

/** The OAuth2 pair where the catalog has one; nothing where it authenticates nobody. */
function restAuth(credential: string | undefined, scope: string | undefined): { credential?: string; scope?: string } {
    return credential === undefined ? {} : { credential, scope };
}

import type { Database } from "../../components/database";
import { Orchestrator } from "../../components/orchestrator";
import type { QueryEngine } from "../../components/queryEngine";
import { QUERY_ENGINE_DEFAULTS } from "../../components/queryEngine/defaults";
import type { ComponentsConfig } from "../../src/components-schema";
import { endpointUrls, formatAddress } from "../../src/outputs";
import type { Runtime } from "../../src/runtime/spec";
import type { Contribution, EnvMap } from "./contribution";

/** Dagster or Airflow on its own database; the example pipeline writes through Trino when it runs. */
export function composeOrchestrator(runtime: Runtime, c: ComponentsConfig, db: Database, trino: QueryEngine | undefined): Contribution {
    const o = c.orchestrator;
    const example =
        o.example && trino !== undefined
            ? {
                  trinoUrl: `http://${trino.internal.host}:${trino.internal.port}`,
                  catalog: trino.catalogName,
                  user: QUERY_ENGINE_DEFAULTS.user,
              }
            : undefined;
    // One name whatever the engine: switching engines replaces the front service in place, so its
    // published port is freed before the new engine takes it.
    const orchestrator = new Orchestrator("orchestrator", {
        runtime,
        engine: o.engine,
        image: o.image,
        resources: o.resources,
        database: db,
        codeLocation: o.codeLocation,
        dagsFolder: o.dagsFolder,
        example,
    });
    const url = orchestrator.endpoint.apply((e) => formatAddress(e, "external"));
    const login = orchestrator.login;
    const env: EnvMap =
        login === undefined
            ? { DAGSTER_URL: url }
            : { AIRFLOW_API_URL: url, AIRFLOW_USERNAME: login.username, AIRFLOW_PASSWORD: login.password };
    return {
        endpoints: { orchestrator: endpointUrls(orchestrator.endpoint) },
        env,
        credentials: login === undefined ? [] : [[`orchestrator/${login.username}`, env]],
    };
}

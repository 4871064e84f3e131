import type { Rule } from "../lib/rule";
import { imageTagPinned } from "./image-tag-pinned";
import { imagePinnedByDigest } from "./image-pinned-by-digest";
import { dockerPortsBoundToHostAddress } from "./docker-ports-bound-to-host-address";
import { dockerNoHostNetwork } from "./docker-no-host-network";
import { kubernetesServiceInternalOnly } from "./kubernetes-service-internal-only";
import { kubernetesNoHostNetworkOrPorts } from "./kubernetes-no-host-network-or-ports";
import { minioBucketPrivate } from "./minio-bucket-private";
import { noWellKnownCredentials } from "./no-well-known-credentials";
import { postgresNoTrustAuthentication } from "./postgres-no-trust-authentication";
import { vaultNoDevMode } from "./vault-no-dev-mode";
import { noCredentialsInConfigmaps } from "./no-credentials-in-configmaps";
import { noLiteralSecretEnv } from "./no-literal-secret-env";
import { postgresRoleLeastPrivilege } from "./postgres-role-least-privilege";
import { vaultPolicyNoWildcardSudo } from "./vault-policy-no-wildcard-sudo";
import { vaultApproleLeastPrivilege } from "./vault-approle-least-privilege";
import { dockerContainerNotPrivileged } from "./docker-container-not-privileged";
import { dockerNoHostPidIpc } from "./docker-no-host-pid-ipc";
import { dockerCapabilitiesDropped } from "./docker-capabilities-dropped";
import { dockerNoNewPrivileges } from "./docker-no-new-privileges";
import { dockerContainerNonRoot } from "./docker-container-non-root";
import { noSensitiveHostMounts } from "./no-sensitive-host-mounts";
import { kubernetesNoPrivilegedContainers } from "./kubernetes-no-privileged-containers";
import { kubernetesNoHostPidIpc } from "./kubernetes-no-host-pid-ipc";
import { kubernetesNoHostPathVolumes } from "./kubernetes-no-host-path-volumes";
import { kubernetesNoPrivilegeEscalation } from "./kubernetes-no-privilege-escalation";
import { kubernetesRunAsNonRoot } from "./kubernetes-run-as-non-root";
import { kubernetesCapabilitiesDropped } from "./kubernetes-capabilities-dropped";
import { kubernetesSeccompRestricted } from "./kubernetes-seccomp-restricted";
import { kubernetesNamespacePodSecurityRestricted } from "./kubernetes-namespace-pod-security-restricted";
import { proxmoxLxcUnprivileged } from "./proxmox-lxc-unprivileged";
import { dockerStatefulDataOnNamedVolume } from "./docker-stateful-data-on-named-volume";
import { kubernetesStatefulDataOnPvc } from "./kubernetes-stateful-data-on-pvc";
import { statefulResourcesProtected } from "./stateful-resources-protected";
import { dockerMemoryLimit } from "./docker-memory-limit";
import { kubernetesResourcesSet } from "./kubernetes-resources-set";
import { proxmoxLxcResourcesSet } from "./proxmox-lxc-resources-set";
import { dockerHealthcheckPresent } from "./docker-healthcheck-present";
import { kubernetesProbesPresent } from "./kubernetes-probes-present";
import { proxmoxLxcHealthcheckPresent } from "./proxmox-lxc-healthcheck-present";
import { dockerLogRotation } from "./docker-log-rotation";

/** Every lakeforge rule, grouped by category (exposure, credentials, least privilege, hardening, durability, operability). */
export const rules: readonly Rule[] = [
    imageTagPinned,
    imagePinnedByDigest,
    dockerPortsBoundToHostAddress,
    dockerNoHostNetwork,
    kubernetesServiceInternalOnly,
    kubernetesNoHostNetworkOrPorts,
    minioBucketPrivate,
    noWellKnownCredentials,
    postgresNoTrustAuthentication,
    vaultNoDevMode,
    noCredentialsInConfigmaps,
    noLiteralSecretEnv,
    postgresRoleLeastPrivilege,
    vaultPolicyNoWildcardSudo,
    vaultApproleLeastPrivilege,
    dockerContainerNotPrivileged,
    dockerNoHostPidIpc,
    dockerCapabilitiesDropped,
    dockerNoNewPrivileges,
    dockerContainerNonRoot,
    noSensitiveHostMounts,
    kubernetesNoPrivilegedContainers,
    kubernetesNoHostPidIpc,
    kubernetesNoHostPathVolumes,
    kubernetesNoPrivilegeEscalation,
    kubernetesRunAsNonRoot,
    kubernetesCapabilitiesDropped,
    kubernetesSeccompRestricted,
    kubernetesNamespacePodSecurityRestricted,
    proxmoxLxcUnprivileged,
    dockerStatefulDataOnNamedVolume,
    kubernetesStatefulDataOnPvc,
    statefulResourcesProtected,
    dockerMemoryLimit,
    kubernetesResourcesSet,
    proxmoxLxcResourcesSet,
    dockerHealthcheckPresent,
    kubernetesProbesPresent,
    proxmoxLxcHealthcheckPresent,
    dockerLogRotation,
];

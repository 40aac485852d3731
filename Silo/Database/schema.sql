-- The Sessions database on PostgreSQL: Orleans clustering and grain state, the shared Data Protection keys, and the
-- fence's stopped markers.
-- Applied by DatabaseMigrator (`dotnet run --project Silo -- migrate`) in one transaction; every statement is
-- idempotent, so running it again, or from two silos at once, changes nothing, and a newer file replaces the
-- query texts below.
--
-- The Orleans ADO.NET providers read their SQL from OrleansQuery at start-up and bind these parameters by name.
-- Unquoted identifiers fold to lower case and Npgsql matches result columns without regard to case, so the
-- providers' names (QueryKey, Version, PayloadBinary, ...) reach ours through the aliases below.

CREATE TABLE IF NOT EXISTS OrleansQuery
(
    QueryKey  varchar(64) PRIMARY KEY,
    QueryText text NOT NULL
);

-- Membership: one version row per cluster (deployment). Every change to a member row bumps it, and only when
-- the caller saw the current version, which is how Orleans' membership protocol detects concurrent changes.
CREATE TABLE IF NOT EXISTS orleans_membership_version
(
    deployment_id text PRIMARY KEY,
    version       integer NOT NULL DEFAULT 0,
    changed_at    timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE IF NOT EXISTS orleans_membership
(
    deployment_id   text NOT NULL REFERENCES orleans_membership_version (deployment_id) ON DELETE CASCADE,
    address         text NOT NULL,
    port            integer NOT NULL,
    generation      integer NOT NULL,
    silo_name       text NOT NULL,
    host_name       text NOT NULL,
    status          integer NOT NULL,
    proxy_port      integer NOT NULL,
    suspect_times   text,
    start_time      timestamptz NOT NULL,
    i_am_alive_time timestamptz NOT NULL,
    PRIMARY KEY (deployment_id, address, port, generation)
);

-- Grain state: one row per (service, state name, grain). A missing key extension is stored as '' so the key can
-- be the primary key on any PostgreSQL version. payload is NULL after a clear: the row keeps its version, so a
-- cleared grain still has an ETag and a stale activation cannot write over the clear.
CREATE TABLE IF NOT EXISTS orleans_grain_state
(
    service_id         text NOT NULL,
    grain_type         text NOT NULL,
    grain_id_n0        bigint NOT NULL,
    grain_id_n1        bigint NOT NULL,
    grain_id_extension text NOT NULL,
    payload            bytea,
    version            integer NOT NULL,
    modified_at        timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (service_id, grain_type, grain_id_n0, grain_id_n1, grain_id_extension)
);

-- ASP.NET Core Data Protection keys, shared by every silo so that what one protects another can read.
CREATE TABLE IF NOT EXISTS sessions_data_protection_keys
(
    friendly_name text PRIMARY KEY,
    xml           text NOT NULL,
    created_at    timestamptz NOT NULL DEFAULT now()
);

-- Stopped markers (Sessions' own, not Orleans'): a silo identity, address:port@generation, that decides nothing any more.
-- A silo writes its own once its fence is closed for good (declared dead, or ending); a survivor writes one, kind
-- 'lease', for a dead silo whose whole dead-silo lease has passed. Read by the takeover guard (Grains/Fencing).
CREATE TABLE IF NOT EXISTS sessions_stopped_silos
(
    cluster_id text NOT NULL,
    silo       text NOT NULL,
    kind       text NOT NULL,
    stopped_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (cluster_id, silo)
);

INSERT INTO OrleansQuery (QueryKey, QueryText) VALUES

-- Creates the cluster's version row on first start; tells whether this call created it.
('InsertMembershipVersionKey', $sql$
WITH created AS (
    INSERT INTO orleans_membership_version (deployment_id) VALUES (@DeploymentId)
    ON CONFLICT (deployment_id) DO NOTHING
    RETURNING 1
)
SELECT count(*) = 1 FROM created
$sql$),

-- The version row, joined to the one silo's row if there is one: the provider reads the version from the first
-- row and treats a NULL StartTime as "no such member".
('MembershipReadRowKey', $sql$
SELECT v.version AS Version,
       m.address AS Address, m.port AS Port, m.generation AS Generation,
       m.silo_name AS SiloName, m.host_name AS HostName, m.status AS Status, m.proxy_port AS ProxyPort,
       m.suspect_times AS SuspectTimes, m.start_time AS StartTime, m.i_am_alive_time AS IAmAliveTime
FROM orleans_membership_version v
LEFT JOIN orleans_membership m
       ON m.deployment_id = v.deployment_id
      AND m.address = @Address AND m.port = @Port AND m.generation = @Generation
WHERE v.deployment_id = @DeploymentId
$sql$),

('MembershipReadAllKey', $sql$
SELECT v.version AS Version,
       m.address AS Address, m.port AS Port, m.generation AS Generation,
       m.silo_name AS SiloName, m.host_name AS HostName, m.status AS Status, m.proxy_port AS ProxyPort,
       m.suspect_times AS SuspectTimes, m.start_time AS StartTime, m.i_am_alive_time AS IAmAliveTime
FROM orleans_membership_version v
LEFT JOIN orleans_membership m ON m.deployment_id = v.deployment_id
WHERE v.deployment_id = @DeploymentId
$sql$),

-- Adds a silo only if the caller saw the current version (@Version) and the silo is not there yet; the version
-- bump and the insert happen together or not at all.
('InsertMembershipKey', $sql$
WITH bumped AS (
    UPDATE orleans_membership_version
       SET version = version + 1, changed_at = now()
     WHERE deployment_id = @DeploymentId
       AND version = @Version
       AND NOT EXISTS (SELECT 1 FROM orleans_membership
                        WHERE deployment_id = @DeploymentId
                          AND address = @Address AND port = @Port AND generation = @Generation)
    RETURNING deployment_id
), inserted AS (
    INSERT INTO orleans_membership
        (deployment_id, address, port, generation, silo_name, host_name, status, proxy_port, start_time, i_am_alive_time)
    SELECT deployment_id, @Address, @Port, @Generation, @SiloName, @HostName, @Status, @ProxyPort, @StartTime, @IAmAliveTime
      FROM bumped
    ON CONFLICT DO NOTHING
    RETURNING 1
)
SELECT count(*) = 1 FROM inserted
$sql$),

-- Changes a silo's status and suspicions under the same version check as the insert.
('UpdateMembershipKey', $sql$
WITH bumped AS (
    UPDATE orleans_membership_version
       SET version = version + 1, changed_at = now()
     WHERE deployment_id = @DeploymentId
       AND version = @Version
       AND EXISTS (SELECT 1 FROM orleans_membership
                    WHERE deployment_id = @DeploymentId
                      AND address = @Address AND port = @Port AND generation = @Generation)
    RETURNING deployment_id
), updated AS (
    UPDATE orleans_membership m
       SET status = @Status, suspect_times = @SuspectTimes, i_am_alive_time = @IAmAliveTime
      FROM bumped
     WHERE m.deployment_id = bumped.deployment_id
       AND m.address = @Address AND m.port = @Port AND m.generation = @Generation
    RETURNING 1
)
SELECT count(*) = 1 FROM updated
$sql$),

-- The liveness heartbeat: deliberately outside the version protocol, as Orleans expects.
('UpdateIAmAlivetimeKey', $sql$
UPDATE orleans_membership
   SET i_am_alive_time = @IAmAliveTime
 WHERE deployment_id = @DeploymentId
   AND address = @Address AND port = @Port AND generation = @Generation
$sql$),

('GatewaysQueryKey', $sql$
SELECT address AS Address, proxy_port AS ProxyPort, generation AS Generation
  FROM orleans_membership
 WHERE deployment_id = @DeploymentId
   AND status = @Status
   AND proxy_port > 0
$sql$),

-- Forgets a whole cluster: its members go with the version row (ON DELETE CASCADE).
('DeleteMembershipTableEntriesKey', $sql$
DELETE FROM orleans_membership_version WHERE deployment_id = @DeploymentId
$sql$),

-- Removes silos that are dead (status 6) and were last alive before @IAmAliveTime. Live rows are never touched
-- and the version is left alone, so no concurrent membership change is made to fail.
('CleanupDefunctSiloEntriesKey', $sql$
DELETE FROM orleans_membership
 WHERE deployment_id = @DeploymentId
   AND status = 6
   AND i_am_alive_time < @IAmAliveTime
$sql$),

('ReadFromStorageKey', $sql$
SELECT payload AS PayloadBinary, version AS Version
  FROM orleans_grain_state
 WHERE service_id = @ServiceId
   AND grain_type = @GrainTypeString
   AND grain_id_n0 = @GrainIdN0 AND grain_id_n1 = @GrainIdN1
   AND grain_id_extension = coalesce(@GrainIdExtensionString, '')
$sql$),

-- A first write (@GrainStateVersion NULL) inserts version 1 unless a row exists; a later write replaces the row
-- only if it still has the caller's version. Either way one row comes back, NULL when nothing was written, which
-- the provider reports as InconsistentStateException.
('WriteToStorageKey', $sql$
WITH inserted AS (
    INSERT INTO orleans_grain_state
        (service_id, grain_type, grain_id_n0, grain_id_n1, grain_id_extension, payload, version)
    SELECT @ServiceId, @GrainTypeString, @GrainIdN0, @GrainIdN1, coalesce(@GrainIdExtensionString, ''), @PayloadBinary, 1
     WHERE @GrainStateVersion IS NULL
    ON CONFLICT DO NOTHING
    RETURNING version
), updated AS (
    UPDATE orleans_grain_state
       SET payload = @PayloadBinary, version = version + 1, modified_at = now()
     WHERE service_id = @ServiceId
       AND grain_type = @GrainTypeString
       AND grain_id_n0 = @GrainIdN0 AND grain_id_n1 = @GrainIdN1
       AND grain_id_extension = coalesce(@GrainIdExtensionString, '')
       AND version = @GrainStateVersion
    RETURNING version
)
SELECT (SELECT version FROM inserted UNION ALL SELECT version FROM updated) AS NewGrainStateVersion
$sql$),

-- Clears the payload but keeps the row and bumps its version, under the same ETag check as a write; no row
-- comes back when the caller's version is stale.
('ClearStorageKey', $sql$
UPDATE orleans_grain_state
   SET payload = NULL, version = version + 1, modified_at = now()
 WHERE service_id = @ServiceId
   AND grain_type = @GrainTypeString
   AND grain_id_n0 = @GrainIdN0 AND grain_id_n1 = @GrainIdN1
   AND grain_id_extension = coalesce(@GrainIdExtensionString, '')
   AND version = @GrainStateVersion
RETURNING version
$sql$)

ON CONFLICT (QueryKey) DO UPDATE SET QueryText = EXCLUDED.QueryText;

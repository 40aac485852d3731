namespace Sessions.Tests.Storage;

// Two releases of one stored record: V2 adds a field. One assembly cannot hold both under one alias (ORLEANS0011),
// which does not matter: storage serialises with the declared type, so the payload names no type.
[GenerateSerializer, Alias("Sessions.Tests.VersionedStateV1")]
public sealed record VersionedStateV1(
    [property: Id(0)] string Name,
    [property: Id(1)] int Count);

[GenerateSerializer, Alias("Sessions.Tests.VersionedStateV2")]
public sealed record VersionedStateV2(
    [property: Id(0)] string Name,
    [property: Id(1)] int Count,
    [property: Id(2)] string? Note);

namespace Sessions.Bench;

/// <summary>How much one type's objects grew on the managed heap between two readings, also per session added.</summary>
internal sealed record TypeGrowth(string Type, long Objects, long Bytes, double ObjectsPerSession, double BytesPerSession);

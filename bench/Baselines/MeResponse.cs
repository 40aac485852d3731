namespace Sessions.Bench.Baselines;

public sealed record MeResponse(string UserId);

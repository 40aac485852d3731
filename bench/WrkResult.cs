namespace Sessions.Bench;

/// <summary>What <c>wrk/me.lua</c>'s done() writes. <c>StatusErrors</c> counts answers with status 400 and up.</summary>
internal sealed record WrkResult(long Requests, long DurationUs, long ConnectErrors, long ReadErrors, long WriteErrors, long StatusErrors,
    long Timeouts, double MeanUs, long MaxUs, long P50Us, long P90Us, long P99Us, long P999Us);

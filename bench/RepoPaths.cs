namespace Sessions.Bench;

/// <summary>Where the binaries the bench starts live, found from the repository root (the folder with Sessions.sln).</summary>
internal sealed record RepoPaths(string Root)
{
    public string SiloDll => Path.Combine(Root, "Silo", "bin", "Release", "net10.0", "Sessions.Silo.dll");

    public string ApiDll => Path.Combine(Root, "Api", "bin", "Release", "net10.0", "Sessions.Api.dll");

    public string BaselinesDll => Path.Combine(Root, "bench", "Baselines", "bin", "Release", "net10.0", "Sessions.Bench.Baselines.dll");

    public string ClusterScript => Path.Combine(Root, "deploy", "local-cluster.sh");

    public string WrkScript => Path.Combine(AppContext.BaseDirectory, "wrk", "me.lua");

    public string ResultsDirectory => Path.Combine(Root, "bench", "results");

    public static RepoPaths Find()
    {
        foreach (var start in new[] { Directory.GetCurrentDirectory(), AppContext.BaseDirectory })
        {
            for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
            {
                if (File.Exists(Path.Combine(dir.FullName, "Sessions.sln")))
                    return new RepoPaths(dir.FullName);
            }
        }
        throw new InvalidOperationException("Run the bench from inside the Sessions repository (no Sessions.sln found above).");
    }

    public void ThrowIfNotBuilt()
    {
        foreach (var file in new[] { SiloDll, ApiDll, BaselinesDll })
        {
            if (!File.Exists(file))
                throw new InvalidOperationException($"{file} is missing: run with `dotnet run -c Release --project bench`, which builds it.");
        }
    }
}

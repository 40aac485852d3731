namespace Sessions.Silo.Database;

/// <summary>`Sessions.Silo migrate`: applies the schema to the database in ConnectionStrings:Sessions and exits.</summary>
internal static class MigrateCommand
{
    public const string Verb = "migrate";

    public static async Task<int> RunAsync(string[] args, IConfiguration config)
    {
        var connectionString = config.GetConnectionString("Sessions");
        if (string.IsNullOrWhiteSpace(connectionString))
        {
            await Console.Error.WriteLineAsync("migrate: ConnectionStrings:Sessions is not set.");
            return 2;
        }

        using var cancel = new CancellationTokenSource();
        Console.CancelKeyPress += (_, e) =>
        {
            e.Cancel = true;
            cancel.Cancel();
        };
        await DatabaseMigrator.MigrateAsync(connectionString, cancel.Token);
        Console.WriteLine("migrate: the Sessions schema is up to date.");
        return 0;
    }
}

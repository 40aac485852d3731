namespace Sessions.Silo.Database;

/// <summary>`Sessions.Silo migrate`: applies the schema to the database in ConnectionStrings:Sessions and exits.</summary>
internal static class MigrateCommand
{
    public const string Verb = "migrate";

    public static async Task<int> RunAsync(IConfiguration config, TextWriter output, TextWriter error, CancellationToken cancellationToken)
    {
        var connectionString = config.GetConnectionString("Sessions");
        if (string.IsNullOrWhiteSpace(connectionString))
        {
            await error.WriteLineAsync("migrate: ConnectionStrings:Sessions is not set.");
            return 2;
        }
        await DatabaseMigrator.MigrateAsync(connectionString, cancellationToken, config);
        await output.WriteLineAsync("migrate: the Sessions schema is up to date.");
        return 0;
    }
}

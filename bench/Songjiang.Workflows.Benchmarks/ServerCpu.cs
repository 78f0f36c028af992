using Npgsql;

namespace Songjiang.Workflows.Benchmarks;

/// <summary>
/// CPU time used so far by the PostgreSQL backends serving the benchmark database, read from /proc (the server
/// runs on the same machine over loopback). Null where /proc is not available.
/// </summary>
internal static class ServerCpu
{
    // USER_HZ: /proc reports utime and stime in clock ticks of 1/100 s on Linux.
    private const double TicksPerSecond = 100;

    public static async Task<TimeSpan?> ReadAsync(string connectionString)
    {
        if (!Directory.Exists("/proc")) return null;
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("SELECT pid FROM pg_stat_activity WHERE datname = current_database()", connection);
        await using var reader = await command.ExecuteReaderAsync();
        long ticks = 0;
        while (await reader.ReadAsync())
        {
            var path = $"/proc/{reader.GetInt32(0)}/stat";
            if (!File.Exists(path)) continue;
            // Fields after the command name, which is in parentheses and may contain spaces: utime is the 14th
            // field of the line and stime the 15th.
            var stat = await File.ReadAllTextAsync(path);
            var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
            ticks += long.Parse(fields[11]) + long.Parse(fields[12]);
        }

        return TimeSpan.FromSeconds(ticks / TicksPerSecond);
    }
}

using System.Globalization;

namespace Songjiang.LoadDriver;

/// <summary>
/// CPU time (user and system) of a process and all its descendants, from /proc: a service is one process, PostgreSQL is
/// the postmaster with its backends, RabbitMQ the Erlang VM with its helpers.
/// </summary>
internal static class ProcessCpu
{
    // USER_HZ: /proc reports utime and stime in clock ticks of 1/100 s on Linux.
    private const double TicksPerSecond = 100;

    public static bool Available => File.Exists("/proc/self/stat");

    /// <summary>The CPU time so far of each named tree, read at one moment.</summary>
    public static Dictionary<string, TimeSpan> Read(IReadOnlyDictionary<string, int> roots)
    {
        var processes = Snapshot();
        var children = processes.Values.ToLookup(p => p.Parent, p => p.Id);
        var result = new Dictionary<string, TimeSpan>(StringComparer.Ordinal);
        foreach (var (name, root) in roots)
        {
            long ticks = 0;
            var pending = new Stack<int>([root]);
            while (pending.TryPop(out var id))
            {
                if (processes.TryGetValue(id, out var process))
                {
                    ticks += process.Ticks;
                }

                foreach (var child in children[id])
                {
                    pending.Push(child);
                }
            }

            result[name] = TimeSpan.FromSeconds(ticks / TicksPerSecond);
        }

        return result;
    }

    /// <summary>The first process whose command line contains <paramref name="text"/>, if any.</summary>
    public static int? FindByCommandLine(string text)
    {
        foreach (var directory in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(directory), out var id))
            {
                continue;
            }

            try
            {
                var commandLine = File.ReadAllText(Path.Combine(directory, "cmdline")).Replace('\0', ' ');
                if (commandLine.Contains(text, StringComparison.Ordinal) && commandLine.Contains("beam", StringComparison.Ordinal))
                {
                    return id;
                }
            }
            catch (IOException)
            {
                // Gone meanwhile.
            }
            catch (UnauthorizedAccessException)
            {
            }
        }

        return null;
    }

    private static Dictionary<int, (int Id, int Parent, long Ticks)> Snapshot()
    {
        var processes = new Dictionary<int, (int, int, long)>();
        foreach (var directory in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(directory), out var id))
            {
                continue;
            }

            try
            {
                // Fields after the command name, which is in parentheses and may contain spaces: the parent is the 4th
                // field of the line, utime the 14th and stime the 15th.
                var stat = File.ReadAllText(Path.Combine(directory, "stat"));
                var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
                processes[id] = (id, int.Parse(fields[1], CultureInfo.InvariantCulture),
                    long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture));
            }
            catch (IOException)
            {
            }
            catch (UnauthorizedAccessException)
            {
            }
        }

        return processes;
    }
}

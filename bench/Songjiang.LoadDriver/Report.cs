using System.Diagnostics;
using System.Globalization;
using System.Text;

namespace Songjiang.LoadDriver;

/// <summary>One mode's figures.</summary>
internal sealed record ModeResult(
    string Mode, TimeSpan Startup, WorkloadResult Run, IReadOnlyDictionary<string, TimeSpan> Cpu, string LoadBefore, string LoadAfter);

/// <summary>CPU readings and the report.</summary>
internal static class Report
{
    public const string Matter = "SJ-GZ-001 建设工程规划许可证核发";

    /// <summary>Shanghai's whole 一网通办: about 280,000 cases a day, 3.2 a second on average.</summary>
    private const double ShanghaiPerSecond = 280_000 / 86_400.0;

    private const double TargetPerSecond = 50;
    private const double TargetSubmitP99Ms = 300;

    /// <summary>The CPU time so far of the platform's processes and of this driver.</summary>
    public static Dictionary<string, TimeSpan> Cpu(RunningPlatform platform)
    {
        var cpu = ProcessCpu.Available ? ProcessCpu.Read(platform.Measured) : [];
        cpu["load driver"] = Process.GetCurrentProcess().TotalProcessorTime;
        return cpu;
    }

    public static string LoadAverage() =>
        File.Exists("/proc/loadavg") ? string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3)) : "n/a";

    public static string Markdown(IReadOnlyList<ModeResult> results, int applications, int enterprises, int caseworkers)
    {
        var text = new StringBuilder();
        text.AppendLine(CultureInfo.InvariantCulture,
            $"{applications} applications of {Matter} per mode, {enterprises} enterprises submitting at once, {caseworkers} caseworkers per desk, " +
            $"{Environment.ProcessorCount} cores.");
        text.AppendLine();
        text.AppendLine("| mode | completed | applications/s | × Shanghai's average (3.2/s) | submission p50 / p99 ms | three uploads p50 / p99 ms | submission → licence p50 / p99 ms | approval → licence p50 / p99 ms | CPU per application, all processes | load average before → after | start-up |");
        text.AppendLine("|---|---|---|---|---|---|---|---|---|---|---|");
        foreach (var r in results)
        {
            var run = r.Run;
            var platformCpu = r.Cpu.Where(c => c.Key != "load driver").Sum(c => c.Value.TotalMilliseconds);
            text.AppendLine(CultureInfo.InvariantCulture,
                $"| {r.Mode} | {run.Completed} of {run.Applications} in {run.Elapsed.TotalSeconds:F1} s | **{run.CompletedPerSecond:F1}** | " +
                $"{run.CompletedPerSecond / ShanghaiPerSecond:F1} | {P(run.SubmitMs, 0.5)} / **{P(run.SubmitMs, 0.99)}** | {P(run.UploadsMs, 0.5)} / {P(run.UploadsMs, 0.99)} | " +
                $"{P(run.SubmitToLicenceMs, 0.5)} / {P(run.SubmitToLicenceMs, 0.99)} | {P(run.ApprovalToLicenceMs, 0.5)} / {P(run.ApprovalToLicenceMs, 0.99)} | " +
                $"{platformCpu / Math.Max(run.Completed, 1):F0} ms | {r.LoadBefore} → {r.LoadAfter} | {r.Startup.TotalSeconds:F0} s |");
        }

        text.AppendLine();
        text.AppendLine("CPU time per completed application, by process (user + system, the process and its children, from /proc):");
        text.AppendLine();
        text.AppendLine("| mode | process | CPU ms per application | CPU s in the run |");
        text.AppendLine("|---|---|---|---|");
        foreach (var r in results)
        {
            foreach (var (name, cpu) in r.Cpu.OrderByDescending(c => c.Value))
            {
                text.AppendLine(CultureInfo.InvariantCulture,
                    $"| {r.Mode} | {name} | {cpu.TotalMilliseconds / Math.Max(r.Run.Completed, 1):F1} | {cpu.TotalSeconds:F1} |");
            }
        }

        text.AppendLine();
        foreach (var r in results.Where(r => r.Mode.StartsWith("distributed", StringComparison.Ordinal)))
        {
            var p99 = Percentile(r.Run.SubmitMs, 0.99);
            var met = r.Run.CompletedPerSecond >= TargetPerSecond && p99 < TargetSubmitP99Ms && r.Run.Completed == r.Run.Applications;
            text.AppendLine(CultureInfo.InvariantCulture,
                $"Target (distributed, ≥ {TargetPerSecond:F0} applications/s end to end, submission p99 < {TargetSubmitP99Ms:F0} ms): " +
                $"{(met ? "met" : "**not met**")} ({r.Run.CompletedPerSecond:F1} applications/s, p99 {p99:F0} ms).");
        }

        foreach (var r in results.Where(r => r.Run.Errors.Count > 0))
        {
            text.AppendLine(CultureInfo.InvariantCulture, $"{r.Mode}: {r.Run.Errors.Count} errors, first: {r.Run.Errors[0]}");
        }

        return text.ToString();
    }

    private static string P(IReadOnlyList<double> values, double q) =>
        values.Count == 0 ? "–" : Percentile(values, q).ToString("F0", CultureInfo.InvariantCulture);

    /// <summary>Nearest-rank percentile.</summary>
    private static double Percentile(IReadOnlyList<double> values, double q)
    {
        if (values.Count == 0)
        {
            return double.NaN;
        }

        var sorted = values.Order().ToArray();
        return sorted[Math.Clamp((int)Math.Ceiling(q * sorted.Length) - 1, 0, sorted.Length - 1)];
    }
}

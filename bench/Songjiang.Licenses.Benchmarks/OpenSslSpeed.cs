using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;

namespace Songjiang.Licenses.Benchmarks;

/// <summary>The baseline: <c>openssl speed -seconds N sm2</c> on the same machine in the same run (one core).</summary>
public static partial class OpenSslSpeed
{
    /// <summary>Runs openssl and returns its SM2 sign and verify rates, or null with the reason when it cannot.</summary>
    public static async Task<(double Sign, double Verify)?> RunAsync(int seconds, TextWriter log)
    {
        var start = new ProcessStartInfo("openssl") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in new[] { "speed", "-seconds", seconds.ToString(CultureInfo.InvariantCulture), "sm2" })
        {
            start.ArgumentList.Add(argument);
        }
        string output;
        try
        {
            using var process = Process.Start(start)!;
            var stdout = process.StandardOutput.ReadToEndAsync();
            var stderr = process.StandardError.ReadToEndAsync();
            await process.WaitForExitAsync();
            output = await stdout + await stderr;
        }
        catch (System.ComponentModel.Win32Exception)
        {
            log.WriteLine("openssl is not installed: no baseline.");
            return null;
        }
        // " 256 bits SM2 (CurveSM2)   0.0005s   0.0005s   1885.6   2101.1"
        var match = SpeedLine().Match(output);
        if (!match.Success)
        {
            log.WriteLine("openssl speed printed no SM2 line (no SM2 support?):");
            log.WriteLine(output);
            return null;
        }
        return (double.Parse(match.Groups["sign"].Value, CultureInfo.InvariantCulture),
            double.Parse(match.Groups["verify"].Value, CultureInfo.InvariantCulture));
    }

    [GeneratedRegex(@"SM2 \(CurveSM2\)\s+[\d.]+s\s+[\d.]+s\s+(?<sign>[\d.]+)\s+(?<verify>[\d.]+)")]
    private static partial Regex SpeedLine();
}

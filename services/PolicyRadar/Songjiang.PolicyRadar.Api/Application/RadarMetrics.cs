using System.Diagnostics.Metrics;

namespace Songjiang.PolicyRadar.Api.Application;

/// <summary>Meter <c>Songjiang.PolicyRadar</c>: what the radar pushes and how long matching takes.</summary>
public sealed class RadarMetrics
{
    /// <summary>The meter name.</summary>
    public const string MeterName = "Songjiang.PolicyRadar";

    private readonly Counter<long> _pushed;
    private readonly Histogram<double> _matchDuration;

    /// <summary>Creates the instruments.</summary>
    public RadarMetrics(IMeterFactory meters)
    {
        var meter = meters.Create(MeterName);
        _pushed = meter.CreateCounter<long>("songjiang.policyradar.pushed", description: "Pushes published, by kind (match, benefit-offer, subscription).");
        _matchDuration = meter.CreateHistogram<double>("songjiang.policyradar.match.duration", "ms", "Time to match one policy or one enterprise.");
    }

    /// <summary>Counts pushes.</summary>
    public void Pushed(string kind, int count)
    {
        if (count > 0)
        {
            _pushed.Add(count, new KeyValuePair<string, object?>("kind", kind));
        }
    }

    /// <summary>Records a matching run.</summary>
    public void Matched(string trigger, TimeSpan elapsed) =>
        _matchDuration.Record(elapsed.TotalMilliseconds, new KeyValuePair<string, object?>("trigger", trigger));
}

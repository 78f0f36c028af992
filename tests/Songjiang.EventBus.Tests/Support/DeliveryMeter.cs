using System.Diagnostics.Metrics;

namespace Songjiang.EventBus.Tests.Support;

/// <summary>Counts one application's measurements of an event bus instrument.</summary>
public sealed class DeliveryMeter : IDisposable
{
    private readonly MeterListener _listener = new();
    private long _count;

    public DeliveryMeter(string appId, string instrument = "songjiang.eventbus.delivered")
    {
        _listener.InstrumentPublished = (i, listener) =>
        {
            if (i.Meter.Name == EventBusDiagnostics.Name && i.Name == instrument)
            {
                listener.EnableMeasurementEvents(i);
            }
        };
        _listener.SetMeasurementEventCallback<long>((_, value, tags, _) =>
        {
            foreach (var tag in tags)
            {
                if (tag.Key == "songjiang.eventbus.app_id" && (string?)tag.Value == appId)
                {
                    Interlocked.Add(ref _count, value);
                }
            }
        });
        _listener.Start();
    }

    public long Count => Interlocked.Read(ref _count);

    public void Dispose() => _listener.Dispose();
}

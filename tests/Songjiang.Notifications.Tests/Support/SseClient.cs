using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Threading.Channels;

namespace Songjiang.Notifications.Tests.Support;

/// <summary>One received server-sent event.</summary>
public sealed record SseEvent(long Id, string Event, JsonElement Data)
{
    /// <summary>The message's subject.</summary>
    public string? Subject => Data.TryGetProperty("subject", out var s) ? s.GetString() : null;
}

/// <summary>
/// A client of <c>/api/notifications/stream</c> as a browser's <c>EventSource</c> is: it parses the stream as it
/// arrives and sends <c>Last-Event-ID</c> when resuming.
/// </summary>
public sealed class SseClient : IAsyncDisposable
{
    private readonly HttpClient _http;
    private readonly CancellationTokenSource _stop = new();
    private readonly Channel<SseEvent> _events = Channel.CreateUnbounded<SseEvent>();
    private readonly TaskCompletionSource _connected = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private Task _reading = Task.CompletedTask;

    private SseClient(HttpClient http) => _http = http;

    /// <summary>Completes when the server ends the stream.</summary>
    public Task Ended => _reading;

    /// <summary>Connects and waits for the server's first line.</summary>
    public static async Task<SseClient> ConnectAsync(Uri gateway, string token, long? lastEventId = null)
    {
        var client = new SseClient(Songjiang.Testing.PlatformFixture.ExternalClient(gateway));
        client._http.Timeout = Timeout.InfiniteTimeSpan;
        var request = new HttpRequestMessage(HttpMethod.Get, "/api/notifications/stream");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("text/event-stream"));
        if (lastEventId is { } id)
        {
            request.Headers.Add("Last-Event-ID", id.ToString(System.Globalization.CultureInfo.InvariantCulture));
        }
        var response = await client._http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, client._stop.Token);
        if (!response.IsSuccessStatusCode)
        {
            throw new HttpRequestException($"stream refused: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        }
        Assert.Equal("text/event-stream", response.Content.Headers.ContentType?.MediaType);
        client._reading = client.ReadAsync(response);
        await client._connected.Task.WaitAsync(TimeSpan.FromSeconds(10));
        return client;
    }

    /// <summary>The next event, or null when none arrives in time.</summary>
    public async Task<SseEvent?> NextAsync(TimeSpan timeout)
    {
        using var wait = new CancellationTokenSource(timeout);
        try
        {
            return await _events.Reader.ReadAsync(wait.Token);
        }
        catch (OperationCanceledException)
        {
            return null;
        }
        catch (ChannelClosedException)
        {
            return null;
        }
    }

    /// <summary>Events until one matches, failing after the timeout; returns all read, the match last.</summary>
    public async Task<List<SseEvent>> UntilAsync(Func<SseEvent, bool> predicate, TimeSpan timeout)
    {
        var read = new List<SseEvent>();
        var deadline = DateTime.UtcNow + timeout;
        while (DateTime.UtcNow < deadline)
        {
            var next = await NextAsync(deadline - DateTime.UtcNow);
            if (next is null)
            {
                break;
            }
            read.Add(next);
            if (predicate(next))
            {
                return read;
            }
        }
        Assert.Fail("the stream never delivered the expected event; got " + string.Join(", ", read.Select(e => e.Subject)));
        return read;
    }

    /// <summary>Everything that arrives within the window.</summary>
    public async Task<List<SseEvent>> DrainAsync(TimeSpan window)
    {
        var read = new List<SseEvent>();
        var deadline = DateTime.UtcNow + window;
        while (DateTime.UtcNow < deadline && await NextAsync(deadline - DateTime.UtcNow) is { } next)
        {
            read.Add(next);
        }
        return read;
    }

    private async Task ReadAsync(HttpResponseMessage response)
    {
        try
        {
            await using var stream = await response.Content.ReadAsStreamAsync(_stop.Token);
            using var reader = new StreamReader(stream, Encoding.UTF8);
            long? id = null;
            string? name = null;
            var data = new StringBuilder();
            while (await reader.ReadLineAsync(_stop.Token) is { } line)
            {
                _connected.TrySetResult();
                if (line.Length == 0)
                {
                    if (data.Length > 0)
                    {
                        await _events.Writer.WriteAsync(new SseEvent(id ?? -1, name ?? "message", JsonDocument.Parse(data.ToString()).RootElement.Clone()));
                    }
                    (id, name) = (null, null);
                    data.Clear();
                }
                else if (line.StartsWith("id: ", StringComparison.Ordinal))
                {
                    id = long.Parse(line[4..], System.Globalization.CultureInfo.InvariantCulture);
                }
                else if (line.StartsWith("event: ", StringComparison.Ordinal))
                {
                    name = line[7..];
                }
                else if (line.StartsWith("data: ", StringComparison.Ordinal))
                {
                    data.Append(line[6..]);
                }
            }
        }
        catch (Exception ex) when (ex is OperationCanceledException or IOException or HttpRequestException)
        {
        }
        finally
        {
            response.Dispose();
            _events.Writer.TryComplete();
        }
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        await _reading;
        _http.Dispose();
        _stop.Dispose();
    }
}

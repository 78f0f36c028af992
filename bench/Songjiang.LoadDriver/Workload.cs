using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Threading.Channels;

namespace Songjiang.LoadDriver;

/// <summary>What one run of the workload measured.</summary>
internal sealed record WorkloadResult(
    int Applications, int Completed, TimeSpan Elapsed, IReadOnlyList<double> UploadsMs, IReadOnlyList<double> SubmitMs,
    IReadOnlyList<double> SubmitToLicenceMs, IReadOnlyList<double> ApprovalToLicenceMs, IReadOnlyList<string> Errors)
{
    public double CompletedPerSecond => Completed / Elapsed.TotalSeconds;
}

/// <summary>
/// Simulated enterprises and caseworkers, all through the gateway as the portal and the caseworkers' desk call it:
/// each enterprise uploads the three materials of 建设工程规划许可证核发 (SJ-GZ-001) and submits; window clerks of the
/// planning bureau take unclaimed tasks from their work list, claim and accept them; reviewers claim and approve them;
/// the licences service issues the permit on the approval event, and the enterprise sees it on its application.
/// </summary>
internal sealed class Workload(HttpClient gateway, int enterprises, int caseworkers)
{
    public const string Password = "Songjiang@2026";
    private const string Matter = "SJ-GZ-001";

    /// <summary>The demo enterprises and the USCC each acts for.</summary>
    private static readonly (string User, string Uscc)[] Applicants =
    [
        ("ent-zhisuan", "91310117MA1J3GKL0Q"),
        ("ent-g60bio", "91310117MA1H8BXR2W"),
    ];

    private static readonly byte[] Pdf = Encoding.ASCII.GetBytes(
        "%PDF-1.7\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n");

    private readonly Dictionary<string, string> _tokens = new(StringComparer.Ordinal);

    /// <summary>Signs the demo users in once (password grant at <c>/connect/token</c>, through the gateway).</summary>
    public async Task SignInAsync()
    {
        foreach (var user in Applicants.Select(a => a.User).Append("gh-clerk").Append("gh-reviewer"))
        {
            using var response = await gateway.PostAsync("/connect/token", new FormUrlEncodedContent(new Dictionary<string, string>
            {
                ["grant_type"] = "password", ["client_id"] = "songjiang-cli", ["username"] = user, ["password"] = Password,
                ["scope"] = "openid profile roles api",
            }));
            var body = await response.Content.ReadAsStringAsync();
            if (!response.IsSuccessStatusCode)
            {
                throw new InvalidOperationException($"Sign-in of {user} failed: {(int)response.StatusCode} {body}");
            }

            _tokens[user] = JsonDocument.Parse(body).RootElement.GetProperty("access_token").GetString()!;
        }
    }

    /// <summary>Runs <paramref name="applications"/> applications from submission to licence; gives up after <paramref name="timeout"/>.</summary>
    public async Task<WorkloadResult> RunAsync(int applications, TimeSpan timeout)
    {
        var tracked = new ConcurrentDictionary<string, Tracked>(StringComparer.Ordinal);
        var uploads = new ConcurrentBag<double>();
        var submits = new ConcurrentBag<double>();
        var errors = new ConcurrentQueue<string>();
        var finished = 0;
        var allDone = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        using var stop = new CancellationTokenSource(timeout);
        var ct = stop.Token;

        void Finish()
        {
            if (Interlocked.Increment(ref finished) == applications)
            {
                allDone.TrySetResult();
            }
        }

        void Fail(string what)
        {
            if (errors.Count < 50)
            {
                errors.Enqueue(what);
            }

            Finish();
        }

        var started = Stopwatch.GetTimestamp();
        var next = -1;
        var enterpriseLoops = Enumerable.Range(0, enterprises).Select(_ => Task.Run(async () =>
        {
            while (!ct.IsCancellationRequested)
            {
                var index = Interlocked.Increment(ref next);
                if (index >= applications)
                {
                    return;
                }

                try
                {
                    var (user, uscc) = Applicants[index % Applicants.Length];
                    var begun = Stopwatch.GetTimestamp();
                    var materials = new Dictionary<string, Guid>(StringComparer.Ordinal);
                    foreach (var code in new[] { "application", "land", "design" })
                    {
                        materials[code] = await UploadAsync(user, code + ".pdf", ct);
                    }

                    var submitted = Stopwatch.GetTimestamp();
                    uploads.Add(Stopwatch.GetElapsedTime(begun, submitted).TotalMilliseconds);
                    var view = await SendAsync(user, HttpMethod.Post, "/api/cases/applications", HttpStatusCode.Created, JsonContent.Create(new
                    {
                        matterCode = Matter,
                        form = new { uscc, projectName = $"松江G60科创走廊研发楼{index + 1}号", projectAddress = "上海市松江区新桥镇新格路8号", totalInvestment = 12000, floorArea = 8600 },
                        materials,
                    }), Guid.NewGuid().ToString("N"), ct);
                    submits.Add(Stopwatch.GetElapsedTime(submitted).TotalMilliseconds);
                    var number = view.GetProperty("summary").GetProperty("number").GetString()!;
                    tracked[number] = new Tracked(user, submitted);
                }
                catch (Exception ex) when (ex is not OperationCanceledException || !ct.IsCancellationRequested)
                {
                    Fail($"submission {index}: {ex.Message}");
                }
            }
        }, ct)).ToList();

        var approved = Channel.CreateUnbounded<string>();
        var approvedAt = new ConcurrentDictionary<string, long>(StringComparer.Ordinal);
        var desks = new List<Task>
        {
            DeskAsync("gh-clerk", "accept", null, _ => { }, Fail, ct),
            DeskAsync("gh-reviewer", "approve", "符合规划条件，准予许可。", number =>
            {
                approvedAt[number] = Stopwatch.GetTimestamp();
                approved.Writer.TryWrite(number);
            }, Fail, ct),
        };

        var licences = new ConcurrentBag<(double FromSubmission, double FromApproval)>();
        var watchers = Enumerable.Range(0, caseworkers).Select(_ => Task.Run(async () =>
        {
            await foreach (var number in approved.Reader.ReadAllAsync(ct))
            {
                try
                {
                    // A desk may act before the enterprise's loop has read the submission's response.
                    Tracked? application;
                    while (!tracked.TryGetValue(number, out application))
                    {
                        await Task.Delay(10, ct);
                    }

                    // The permit is issued by the licences service on the approval event; the applicant sees it on the
                    // application once the cases service has recorded it.
                    while (true)
                    {
                        var view = await SendAsync(application.User, HttpMethod.Get, $"/api/cases/applications/{number}", HttpStatusCode.OK, null, null, ct);
                        if (view.GetProperty("results").GetArrayLength() > 0)
                        {
                            var now = Stopwatch.GetTimestamp();
                            licences.Add((Stopwatch.GetElapsedTime(application.SubmittedAt, now).TotalMilliseconds,
                                Stopwatch.GetElapsedTime(approvedAt[number], now).TotalMilliseconds));
                            Finish();
                            break;
                        }

                        await Task.Delay(50, ct);
                    }
                }
                catch (Exception ex) when (ex is not OperationCanceledException || !ct.IsCancellationRequested)
                {
                    Fail($"licence of {number}: {ex.Message}");
                }
            }
        }, ct)).ToList();

        try
        {
            await allDone.Task.WaitAsync(ct);
        }
        catch (OperationCanceledException)
        {
            errors.Enqueue($"gave up after {timeout.TotalSeconds:F0} s with {licences.Count} of {applications} licences issued");
        }

        var elapsed = Stopwatch.GetElapsedTime(started);
        await stop.CancelAsync();
        approved.Writer.TryComplete();
        await Task.WhenAll(enterpriseLoops.Concat(desks).Concat(watchers).Select(t => t.ContinueWith(_ => { }, TaskScheduler.Default)));
        return new WorkloadResult(applications, licences.Count, elapsed, [.. uploads], [.. submits],
            [.. licences.Select(l => l.FromSubmission)], [.. licences.Select(l => l.FromApproval)], [.. errors]);
    }

    /// <summary>
    /// One department desk: its work list is read as the caseworkers' desk reads it (open, unclaimed tasks of the matter),
    /// and each new task goes to the next free caseworker, who claims it and completes it with <paramref name="action"/>.
    /// </summary>
    private async Task DeskAsync(string user, string action, string? opinion, Action<string> completed, Action<string> failed, CancellationToken ct)
    {
        var queue = Channel.CreateUnbounded<(Guid Id, string Number)>();
        var seen = new HashSet<Guid>();
        var workers = Enumerable.Range(0, caseworkers).Select(_ => Task.Run(async () =>
        {
            await foreach (var (id, number) in queue.Reader.ReadAllAsync(ct))
            {
                try
                {
                    await SendAsync(user, HttpMethod.Post, $"/api/cases/tasks/{id}/claim", HttpStatusCode.OK, null, null, ct);
                    await SendAsync(user, HttpMethod.Post, $"/api/cases/tasks/{id}/complete", HttpStatusCode.OK,
                        JsonContent.Create(new { action, opinion }), null, ct);
                    completed(number);
                }
                catch (Exception ex) when (ex is not OperationCanceledException || !ct.IsCancellationRequested)
                {
                    failed($"{action} of {number}: {ex.Message}");
                }
            }
        }, ct)).ToList();

        try
        {
            while (!ct.IsCancellationRequested)
            {
                var page = await SendAsync(user, HttpMethod.Get, $"/api/cases/tasks?claimed=none&matter={Matter}&pageSize=100", HttpStatusCode.OK, null, null, ct);
                var fresh = 0;
                foreach (var task in page.GetProperty("items").EnumerateArray())
                {
                    var id = task.GetProperty("id").GetGuid();
                    if (seen.Add(id))
                    {
                        fresh++;
                        queue.Writer.TryWrite((id, task.GetProperty("applicationNumber").GetString()!));
                    }
                }

                if (fresh == 0)
                {
                    await Task.Delay(50, ct);
                }
            }
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
        }
        finally
        {
            queue.Writer.TryComplete();
            await Task.WhenAll(workers.Select(t => t.ContinueWith(_ => { }, TaskScheduler.Default)));
        }
    }

    private async Task<Guid> UploadAsync(string user, string name, CancellationToken ct)
    {
        var file = new ByteArrayContent(Pdf);
        file.Headers.ContentType = new MediaTypeHeaderValue("application/pdf");
        using var form = new MultipartFormDataContent { { file, "file", name } };
        var body = await SendAsync(user, HttpMethod.Post, "/api/cases/uploads", HttpStatusCode.Created, form, null, ct);
        return body.GetProperty("id").GetGuid();
    }

    private async Task<JsonElement> SendAsync(string user, HttpMethod method, string path, HttpStatusCode expected, HttpContent? content,
        string? idempotencyKey, CancellationToken ct)
    {
        using var request = new HttpRequestMessage(method, path) { Content = content };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", _tokens[user]);
        if (idempotencyKey is not null)
        {
            request.Headers.Add("Idempotency-Key", idempotencyKey);
        }

        using var response = await gateway.SendAsync(request, ct);
        var text = await response.Content.ReadAsStringAsync(ct);
        if (response.StatusCode != expected)
        {
            throw new HttpRequestException($"{method} {path}: {(int)response.StatusCode} {text[..Math.Min(text.Length, 300)]}");
        }

        return text.Length == 0 ? default : JsonDocument.Parse(text).RootElement.Clone();
    }

    private sealed record Tracked(string User, long SubmittedAt);
}

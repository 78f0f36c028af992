using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Json;
using Aspire.Hosting.ApplicationModel;

namespace Songjiang.AppHost.Tests;

/// <summary>
/// The distributed platform's promises across real processes: two copies of cases and licences share the load, a licences
/// process killed with SIGKILL in the middle of a stream of approvals loses no licence and doubles none, and a broker
/// stopped for twenty seconds while enterprises submit loses no acknowledged submission.
/// </summary>
[Collection(DistributedPlatformCollection.Name)]
public sealed class MultiProcessTests(DistributedPlatform platform)
{
    private const string PlanningPermit = "construction-planning-permit";

    /// <summary>The licences service's queue of approvals, which its copies share.</summary>
    private const string ApprovalsQueue = "licenses-cases.application-approved.v2";

    /// <summary>Effects that travel over the bus on a busy two-core machine: seconds normally, a minute or two at worst.</summary>
    private static readonly TimeSpan BusPatience = TimeSpan.FromMinutes(3);

    private readonly GatewayDriver _driver = new(platform.Gateway);

    [Fact]
    public async Task An_enterprise_gets_its_licence_once_through_two_copies_of_cases_and_licences_and_every_copy_does_its_share()
    {
        var ct = TestContext.Current.CancellationToken;
        // Both copies of licences must be taking approvals before they are asked to share them; one that a test before
        // this one killed, or that is still subscribing again after the broker's restart, would take none.
        var copies = platform.Replicas("licenses").Count;
        await GatewayDriver.EventuallyAsync(() => platform.ConsumersAsync(ApprovalsQueue), seen => seen >= copies, BusPatience,
            seen => $"{ApprovalsQueue} has {seen} of {copies} consumers");

        // Six enterprises' clients apply at once, so that the gateway opens several connections to the cases service.
        var numbers = await Task.WhenAll(Enumerable.Range(1, 6).Select(i => _driver.ApplyForPlanningPermitAsync($"G60科创云廊{i}号楼", ct)));
        foreach (var number in numbers)
        {
            await _driver.ActAsync("gh-clerk", number, "accept", ct: ct);
            await _driver.ActAsync("gh-reviewer", number, "approve", "符合规划条件，准予许可", ct);
        }

        var licences = await GatewayDriver.EventuallyAsync(() => _driver.LicencesByApplicationAsync(PlanningPermit),
            issued => numbers.All(issued.ContainsKey), BusPatience, issued => $"licences for {Missing(numbers, issued)}");
        Assert.All(numbers, number => Assert.Equal(1, licences[number]));
        var held = await _driver.ExpectAsync(HttpStatusCode.OK, "ent-zhisuan", HttpMethod.Get, $"/api/licenses?type={PlanningPermit}&pageSize=100", ct: ct);
        var holderSees = held.GetProperty("items").EnumerateArray().Select(l => l.GetProperty("applicationId").GetString()).ToHashSet();
        Assert.All(numbers, number => Assert.Contains(number, holderSees));

        // Each copy of cases answered requests of the enterprise or the caseworkers; each copy of licences issued licences
        // (the two consume the approvals from one queue).
        Assert.All(platform.Replicas("cases"), replica => Assert.True(
            platform.Logs(replica).Any(line => line.Contains("Request finished", StringComparison.Ordinal) && line.Contains("/api/cases/", StringComparison.Ordinal)),
            $"{replica} served no request of the API"));
        Assert.All(platform.Replicas("licenses"), replica => Assert.True(
            numbers.Any(number => platform.Logs(replica).Any(line => line.Contains($"Application {number} (SJ-GZ-001) approved", StringComparison.Ordinal))),
            $"{replica} issued none of the licences"));
        Assert.Equal(2, platform.Replicas("cases").Count);
        Assert.Equal(2, platform.Replicas("licenses").Count);
    }

    [Fact]
    public async Task A_licences_process_killed_in_the_middle_of_a_stream_of_approvals_leaves_every_approval_exactly_one_licence()
    {
        var ct = TestContext.Current.CancellationToken;
        var numbers = new List<string>();
        foreach (var batch in Enumerable.Range(1, 8).Chunk(4))
        {
            numbers.AddRange(await Task.WhenAll(batch.Select(i => _driver.ApplyForPlanningPermitAsync($"G60数字经济产业园{i}号地块", ct))));
        }
        foreach (var number in numbers)
        {
            await _driver.ActAsync("gh-clerk", number, "accept", ct: ct);
        }

        var victim = platform.Replicas("licenses")[0];
        var killedPid = platform.ProcessId(victim);
        Task? restarting = null;
        for (var i = 0; i < numbers.Count; i++)
        {
            await _driver.ActAsync("gh-reviewer", numbers[i], "approve", "符合规划条件，准予许可", ct);
            if (i == 2)
            {
                // kill -9 while the approvals before it are being turned into licences; the orchestrator starts it again
                // as soon as it is seen dead, the way a supervisor would, while the approvals go on.
                platform.Kill(victim);
                restarting = RestartWhenDeadAsync(victim);
            }
        }
        await restarting!;
        // Running under a new process id, and the service in it started (its health is the proxy's, which the other copy answers).
        await DistributedPlatform.WaitUntilAsync(() => platform.IsHealthy(victim) && platform.ProcessId(victim) != killedPid
            && platform.Logs(victim).Count(line => line.Contains("Application started", StringComparison.Ordinal)) >= 2,
            TimeSpan.FromMinutes(5), $"{victim} to run again");

        var licences = await GatewayDriver.EventuallyAsync(() => _driver.LicencesByApplicationAsync(PlanningPermit),
            issued => numbers.All(issued.ContainsKey), BusPatience, issued => $"licences for {Missing(numbers, issued)}");
        Assert.All(numbers, number => Assert.Equal(1, licences[number]));

        // Whatever the killed process had taken but not acknowledged comes back to a copy, which must not issue it twice:
        // after the restarted copy has settled, still exactly one each.
        await Task.Delay(TimeSpan.FromSeconds(10), ct);
        licences = await _driver.LicencesByApplicationAsync(PlanningPermit);
        Assert.All(numbers, number => Assert.Equal(1, licences[number]));
        foreach (var number in numbers)
        {
            var licence = (await _driver.ExpectAsync(HttpStatusCode.OK, "ent-zhisuan", HttpMethod.Get, $"/api/licenses?type={PlanningPermit}&pageSize=100", ct: ct))
                .GetProperty("items").EnumerateArray().Single(l => l.GetProperty("applicationId").GetString() == number);
            Assert.Equal("active", licence.GetProperty("status").GetString());
        }
    }

    [Fact]
    public async Task The_broker_stopped_for_twenty_seconds_during_a_stream_of_submissions_loses_none_that_were_acknowledged()
    {
        var ct = TestContext.Current.CancellationToken;
        var acknowledged = new ConcurrentQueue<string>();
        var refused = new ConcurrentQueue<string>();
        using var stream = CancellationTokenSource.CreateLinkedTokenSource(ct);
        var submitters = Enumerable.Range(0, 3).Select(_ => SubmitUntilStoppedAsync(acknowledged, refused, stream.Token)).ToArray();
        await DistributedPlatform.WaitUntilAsync(() => acknowledged.Count >= 3, TimeSpan.FromMinutes(2), "three acknowledged submissions");

        var broker = platform.Replicas("rabbitmq").Single();
        await platform.CommandAsync(broker, KnownResourceCommands.StopCommand);
        await DistributedPlatform.WaitUntilAsync(() => !IsRunning(broker), TimeSpan.FromMinutes(1), "the broker to stop");
        var beforeOutage = acknowledged.Count;
        await Task.Delay(TimeSpan.FromSeconds(20), ct);
        var duringOutage = acknowledged.Count - beforeOutage;
        await platform.CommandAsync(broker, KnownResourceCommands.StartCommand);
        await DistributedPlatform.WaitUntilAsync(() => platform.IsHealthy(broker), TimeSpan.FromMinutes(3), "the broker to run again");
        var afterRestart = acknowledged.Count;
        await DistributedPlatform.WaitUntilAsync(() => acknowledged.Count >= afterRestart + 3, TimeSpan.FromMinutes(2),
            $"three submissions after the restart; refused: {string.Join("; ", refused.TakeLast(3))}; cases: {platform.Errors("cases")}");
        await stream.CancelAsync();
        await Task.WhenAll(submitters);

        // Submissions go on while the broker is away: the cases service keeps their events in its outbox.
        Assert.True(duringOutage > 0, $"no submission was acknowledged while the broker was stopped; refused: {string.Join("; ", refused.Take(5))}");
        var numbers = acknowledged.ToHashSet(StringComparer.Ordinal);
        var tracked = await GatewayDriver.EventuallyAsync(() => _driver.TrackedApplicationsAsync(GatewayDriver.G60Bio),
            register => numbers.All(register.ContainsKey), BusPatience,
            register => $"the enterprise register lacks {Missing(numbers, register)} of {numbers.Count} acknowledged applications");
        Assert.All(numbers, number => Assert.Equal(1, tracked[number]));
        TestContext.Current.SendDiagnosticMessage(
            $"{numbers.Count} acknowledged submissions, {duringOutage} of them while the broker was stopped, {refused.Count} refused; all tracked once");
    }

    private bool IsRunning(string resource) => platform.Snapshot(resource).State?.Text == KnownResourceStates.Running;

    /// <summary>Once the orchestrator sees the killed copy's process gone, starts it again.</summary>
    private async Task RestartWhenDeadAsync(string replica)
    {
        string[] dead = [KnownResourceStates.Exited, KnownResourceStates.Finished, KnownResourceStates.FailedToStart];
        await DistributedPlatform.WaitUntilAsync(() => dead.Contains(platform.Snapshot(replica).State?.Text), TimeSpan.FromMinutes(1),
            $"the orchestrator to see {replica} dead");
        await platform.CommandAsync(replica, KnownResourceCommands.StartCommand);
    }

    /// <summary>An enterprise submits 单位社会保险注销登记 again and again until told to stop; records what was acknowledged.</summary>
    private async Task SubmitUntilStoppedAsync(ConcurrentQueue<string> acknowledged, ConcurrentQueue<string> refused, CancellationToken ct)
    {
        while (!ct.IsCancellationRequested)
        {
            try
            {
                var materials = await _driver.UploadAllAsync("ent-g60bio", ct, "application", "settlement");
                using var response = await _driver.SendAsync("ent-g60bio", HttpMethod.Post, "/api/cases/applications", JsonContent.Create(new
                {
                    matterCode = "SJ-RS-002",
                    form = new { uscc = GatewayDriver.G60Bio, reason = "经营调整", arrearsSettled = true },
                    materials,
                }), "outage-" + Guid.NewGuid().ToString("N"), ct);
                if (response.StatusCode == HttpStatusCode.Created)
                {
                    acknowledged.Enqueue(GatewayDriver.NumberOf(await response.Content.ReadFromJsonAsync<System.Text.Json.JsonElement>(ct)));
                }
                else
                {
                    refused.Enqueue($"{(int)response.StatusCode} {await response.Content.ReadAsStringAsync(ct)}");
                    await Task.Delay(500, ct);
                }
            }
            catch (OperationCanceledException) when (ct.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex) when (ex is HttpRequestException or Xunit.Sdk.XunitException)
            {
                refused.Enqueue(ex.Message);
                await Task.Delay(500, CancellationToken.None);
            }
        }
    }

    private static string Missing(IEnumerable<string> numbers, IReadOnlyDictionary<string, int> found) =>
        string.Join(", ", numbers.Where(n => !found.ContainsKey(n)));
}

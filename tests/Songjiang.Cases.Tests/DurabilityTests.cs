using Songjiang.Cases.Tests.Support;
using Songjiang.Testing;

namespace Songjiang.Cases.Tests;

/// <summary>The embedded host is stopped in the middle of a case and started again on the same data: the case goes on.</summary>
public sealed class DurabilityTests(TemporaryDataDirectory data) : IClassFixture<TemporaryDataDirectory>
{
    [Fact]
    public async Task A_case_interrupted_by_a_restart_completes_afterwards()
    {
        string number;
        await using (var first = new RestartedCasesPlatform(data.Path, data.Ports))
        {
            await first.InitializeAsync();
            var cases = new CaseDriver(first);
            var view = await cases.SubmitAsync("ent-zhisuan", new
            {
                matterCode = "SJ-RS-002",
                form = new { uscc = CaseDriver.Zhisuan, reason = "经营调整", arrearsSettled = true },
                materials = await cases.UploadAllAsync("ent-zhisuan", "application", "settlement"),
            });
            number = view.GetProperty("summary").GetProperty("number").GetString()!;
            await cases.ActAsync("hr-clerk", number, "accept");
            var task = Assert.Single(await cases.TasksAsync("hr-reviewer", number)).GetProperty("id").GetGuid();
            await cases.ExpectAsync(System.Net.HttpStatusCode.OK, "hr-reviewer", HttpMethod.Post, $"/api/cases/tasks/{task}/claim");
        }

        await using var second = new RestartedCasesPlatform(data.Path, data.Ports);
        await second.InitializeAsync();
        var again = new CaseDriver(second);
        var waiting = await again.ApplicationAsync("ent-zhisuan", number);
        Assert.Equal("under-review", waiting.GetProperty("summary").GetProperty("status").GetString());

        // The claim survived the restart; the reviewer finishes the case.
        var claimed = Assert.Single(await again.TasksAsync("hr-reviewer", number, "&claimed=me"));
        await again.ExpectAsync(System.Net.HttpStatusCode.OK, "hr-reviewer", HttpMethod.Post,
            $"/api/cases/tasks/{claimed.GetProperty("id").GetGuid()}/complete", new { action = "approve", opinion = "同意" });
        var done = await again.ApplicationAsync("ent-zhisuan", number);
        Assert.Equal("approved", done.GetProperty("summary").GetProperty("outcome").GetString());

        // Numbers keep counting after the restart.
        var next = await again.SubmitAsync("ent-zhisuan", new
        {
            matterCode = "SJ-RS-002",
            form = new { uscc = CaseDriver.Zhisuan, reason = "经营调整", arrearsSettled = true },
            materials = await again.UploadAllAsync("ent-zhisuan", "application", "settlement"),
        });
        Assert.NotEqual(number, next.GetProperty("summary").GetProperty("number").GetString());
    }
}

using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Songjiang.Licenses.Api.Infrastructure;
using Songjiang.Licenses.Api.Issuance;
using Songjiang.Licenses.Tests.Support;
using System.Text.Json;

namespace Songjiang.Licenses.Tests.Apis;

/// <summary>
/// The command an "application approved" handler will call: redeliveries of one approval, even at the same time,
/// leave one licence.
/// </summary>
public sealed class EventDrivenIssuanceTests(LicensesFixture platform)
{
    [Fact]
    public async Task Redelivered_approvals_of_one_application_issue_one_licence()
    {
        var applicationId = "SJ-APP-" + Guid.NewGuid().ToString("N");
        var services = platform.Host.Application("licenses").Services;
        var fields = new Dictionary<string, JsonElement>
        {
            ["legalRepresentative"] = JsonSerializer.SerializeToElement("李华"),
            ["premises"] = JsonSerializer.SerializeToElement("上海市松江区广富林路658号"),
            ["mainBusiness"] = JsonSerializer.SerializeToElement("餐饮服务经营者"),
            ["businessItems"] = JsonSerializer.SerializeToElement("热食类食品制售"),
        };
        var command = new IssueLicenceCommand("food-business-licence", "上海松江智算科技有限公司", LicensesFixture.Zhisuan, fields,
            null, null, applicationId, "cases:application-approved", ActingDepartment: null);

        var results = await Task.WhenAll(Enumerable.Range(0, 5).Select(async _ =>
        {
            await using var scope = services.CreateAsyncScope();
            return await scope.ServiceProvider.GetRequiredService<LicenceIssuer>().IssueAsync(command, CancellationToken.None);
        }));

        Assert.Single(results.Select(r => r.Licence.Number).Distinct());
        Assert.Single(results, r => r.Created);
        await using var check = services.CreateAsyncScope();
        var db = check.ServiceProvider.GetRequiredService<LicensesDbContext>();
        Assert.Equal(1, await db.Licences.CountAsync(l => l.ApplicationId == applicationId));
        var licence = results[0].Licence;
        Assert.Equal(PartnerIssuer.Today.AddYears(5).AddDays(-1), licence.ValidUntil); // 食品经营许可证: 5 years
    }
}

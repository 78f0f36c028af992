using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Songjiang.EventBus;
using Songjiang.Licenses.Api.Domain;
using Songjiang.Licenses.Api.Infrastructure;
using Songjiang.Licenses.Api.IntegrationEvents.EventHandling;
using Songjiang.Licenses.Api.Issuance;
using Songjiang.Licenses.Tests.Support;
using Songjiang.Testing;
using System.Net;
using System.Text;
using System.Text.Json;

namespace Songjiang.Licenses.Tests.Apis;

/// <summary>
/// The cases service's approvals, published on the platform's bus, issue the licences of Seed/matter-licences.json.
/// </summary>
public sealed class ApprovalIssuanceTests(LicensesFixture platform)
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(20);

    [Fact]
    public async Task An_approved_establishment_issues_a_business_licence_with_the_mapped_fields_that_verifies()
    {
        var uscc = CasesApplicationApproved.NewUscc();
        var approvedAt = DateTimeOffset.UtcNow;
        var form = new
        {
            companyName = "上海松江星河数智有限公司", legalRepresentative = "周立", registeredAddress = "上海市松江区洞泾镇长兴东路88号",
            registeredCapital = 500, businessScope = "软件开发；信息技术咨询服务。", industryCode = "I6513", location = "dongjing",
        };
        var approval = new CasesApplicationApproved(Guid.NewGuid(), CasesApplicationApproved.NewNumber(), null, "SJ-SCJ-001", "企业设立登记",
            null, "market-regulation", null, "周立", "online", JsonSerializer.SerializeToElement(form), uscc, uscc, form.companyName,
            "scj-approver", approvedAt, CommitmentBased: false);

        await PublishAsync(approval);
        var licence = await LicenceOfAsync(approval.ApplicationNumber);

        Assert.Equal("business-licence", licence.TypeCode);
        Assert.Equal(uscc, licence.HolderUscc);
        Assert.Equal("上海松江星河数智有限公司", licence.HolderName);
        Assert.Equal(ApplicationApprovedHandler.IssuedBy, licence.IssuedBy);
        var sealedLicence = JsonDocument.Parse(licence.Payload).RootElement;
        var fields = sealedLicence.GetProperty("fields");
        var approvedOn = ChinaDate(approvedAt);
        Assert.Equal("周立", fields.GetProperty("legalRepresentative").GetString());
        Assert.Equal("有限责任公司", fields.GetProperty("entityType").GetString());
        Assert.Equal(500m, fields.GetProperty("registeredCapitalTenThousandYuan").GetDecimal());
        Assert.Equal(approvedOn, fields.GetProperty("establishedOn").GetString());
        Assert.Equal("上海市松江区洞泾镇长兴东路88号", fields.GetProperty("address").GetString());
        Assert.Equal("软件开发；信息技术咨询服务。", fields.GetProperty("businessScope").GetString());
        Assert.Equal(approval.ApplicationNumber, sealedLicence.GetProperty("applicationId").GetString());
        Assert.Equal(approvedOn, sealedLicence.GetProperty("validFrom").GetString());
        Assert.Equal(JsonValueKind.Null, sealedLicence.GetProperty("validUntil").ValueKind);

        using var verified = await platform.SendAsync(HttpMethod.Get, $"/api/licenses/public/verify/{licence.Number}", null);
        Assert.Equal("valid", LicensesFixture.OutcomeOf(await PlatformFixture.JsonOf(verified)));
        var offline = await platform.VerifyDocumentAsync(await platform.DocumentAsync(licence.Number));
        Assert.Equal("valid", LicensesFixture.OutcomeOf(offline));
    }

    [Fact]
    public async Task A_food_licence_takes_the_legal_representative_from_the_register_and_only_its_holder_sees_it()
    {
        var approval = CasesApplicationApproved.Of("SJ-SCJ-004", "食品经营许可", "market-regulation", LicensesFixture.Zhisuan, "上海松江智算科技有限公司",
            new { uscc = LicensesFixture.Zhisuan, premisesAddress = "上海市松江区广富林路4855弄3号楼1层", businessItems = new[] { "预包装食品销售", "热食类食品制售" } });

        await PublishAsync(approval);
        var licence = await LicenceOfAsync(approval.ApplicationNumber);

        var fields = JsonDocument.Parse(licence.Payload).RootElement.GetProperty("fields");
        Assert.Equal("food-business-licence", licence.TypeCode);
        Assert.Equal("张敏", fields.GetProperty("legalRepresentative").GetString());    // the enterprise register's
        Assert.Equal("上海市松江区广富林路4855弄3号楼1层", fields.GetProperty("premises").GetString());
        Assert.Equal("餐饮服务经营者", fields.GetProperty("mainBusiness").GetString());  // it makes hot food
        Assert.Equal("预包装食品销售、热食类食品制售", fields.GetProperty("businessItems").GetString());

        using var own = await platform.SendAsync(HttpMethod.Get, "/api/licenses?type=food-business-licence&pageSize=100", "ent-zhisuan");
        Assert.Contains((await PlatformFixture.JsonOf(own)).GetProperty("items").EnumerateArray(), i => i.GetProperty("number").GetString() == licence.Number);
        using var ownDetail = await platform.SendAsync(HttpMethod.Get, $"/api/licenses/{licence.Number}", "ent-zhisuan");
        Assert.Equal(HttpStatusCode.OK, ownDetail.StatusCode);
        using var other = await platform.SendAsync(HttpMethod.Get, $"/api/licenses/{licence.Number}", "ent-g60bio");
        using var othersList = await platform.SendAsync(HttpMethod.Get, "/api/licenses?type=food-business-licence&pageSize=100", "ent-g60bio");
        await IssuanceTests.AssertProblem(other, HttpStatusCode.NotFound, null);
        Assert.DoesNotContain((await PlatformFixture.JsonOf(othersList)).GetProperty("items").EnumerateArray(), i => i.GetProperty("number").GetString() == licence.Number);
    }

    [Fact]
    public async Task An_approval_delivered_twice_or_approved_again_issues_one_licence()
    {
        var approval = CasesApplicationApproved.Of("SJ-RS-004", "人力资源服务许可", "human-resources", LicensesFixture.G60Bio, "上海G60生物医药有限公司",
            new { uscc = LicensesFixture.G60Bio, serviceItems = new[] { "职业中介", "人才测评" }, qualifiedStaff = 6 });

        var again = approval with { Id = Guid.CreateVersion7() };

        await PublishAsync(approval);
        await PublishAsync(approval);   // a redelivery: the same event id
        await PublishAsync(again);      // the same approval announced again
        await WaitUntilHandledAsync(approval.Id);
        await WaitUntilHandledAsync(again.Id);
        var licence = await LicenceOfAsync(approval.ApplicationNumber);
        await Task.Delay(500); // give any further delivery the chance to add a second licence

        await using var scope = platform.Host.Application("licenses").Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<LicensesDbContext>();
        Assert.Equal(1, await db.Licences.CountAsync(l => l.ApplicationId == approval.ApplicationNumber));
        var fields = JsonDocument.Parse(licence.Payload).RootElement.GetProperty("fields");
        Assert.Equal("李华", fields.GetProperty("legalRepresentative").GetString());
        Assert.Equal("上海市松江区新桥镇莘砖公路518号", fields.GetProperty("premises").GetString());
        Assert.Equal("职业中介、人才测评", fields.GetProperty("serviceScope").GetString());
    }

    [Fact]
    public async Task An_approved_matter_without_a_mapping_issues_no_licence()
    {
        var approval = CasesApplicationApproved.Of("SJ-SCJ-002", "企业变更登记", "market-regulation", LicensesFixture.Zhisuan, "上海松江智算科技有限公司",
            new { uscc = LicensesFixture.Zhisuan, changes = new { registeredCapital = 3000 } });

        await PublishAsync(approval);
        await WaitUntilHandledAsync(approval.Id);

        await using var scope = platform.Host.Application("licenses").Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<LicensesDbContext>();
        Assert.False(await db.Licences.AnyAsync(l => l.ApplicationId == approval.ApplicationNumber));
    }

    [Fact]
    public async Task An_approval_whose_form_lacks_a_licence_field_is_dead_lettered_with_the_reason()
    {
        // 公共场所卫生许可: the area is optional in the form but required on the licence.
        var approval = CasesApplicationApproved.Of("SJ-WJ-001", "公共场所卫生许可", "health", LicensesFixture.Zhisuan, "上海松江智算科技有限公司",
            new { uscc = LicensesFixture.Zhisuan, premisesAddress = "上海市松江区广富林路4855弄1号", premisesType = "美容美发场所" });

        await PublishAsync(approval);

        var deadline = DateTime.UtcNow + Patience;
        JsonElement? letter = null;
        while (letter is null && DateTime.UtcNow < deadline)
        {
            using var response = await platform.SendAsync(HttpMethod.Get, "/api/licenses/admin/dead-letters?limit=500", "admin");
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            letter = (await PlatformFixture.JsonOf(response)).EnumerateArray()
                .Cast<JsonElement?>().FirstOrDefault(d => d!.Value.GetProperty("messageId").GetString() == approval.Id.ToString());
            await Task.Delay(100);
        }
        Assert.NotNull(letter);
        var reason = letter.Value.GetProperty("reason").GetString()!;
        Assert.Contains(approval.ApplicationNumber, reason, StringComparison.Ordinal);
        Assert.Contains("fields.areaSquareMetres", reason, StringComparison.Ordinal);
        Assert.Contains("premisesArea", reason, StringComparison.Ordinal);
        await using var scope = platform.Host.Application("licenses").Services.CreateAsyncScope();
        Assert.False(await scope.ServiceProvider.GetRequiredService<LicensesDbContext>().Licences.AnyAsync(l => l.ApplicationId == approval.ApplicationNumber));
    }

    [Fact]
    public async Task The_shipped_map_fits_the_licence_types_and_names_only_fields_of_the_matters_forms()
    {
        var services = platform.Host.Application("licenses").Services;
        var map = services.GetRequiredService<MatterLicenceMap>();
        await using var scope = services.CreateAsyncScope();
        var types = await scope.ServiceProvider.GetRequiredService<LicensesDbContext>().LicenceTypes.AsNoTracking().ToListAsync();

        Assert.Empty(map.Problems(types));
        Assert.Equal(["SJ-SCJ-001", "SJ-SCJ-004", "SJ-WJ-001", "SJ-GZ-001", "SJ-RS-004"], map.All.Select(m => m.MatterCode));
        foreach (var matter in map.All)
        {
            using var response = await platform.SendAsync(HttpMethod.Get, $"/api/catalog/matters/{matter.MatterCode}", null);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            var properties = (await PlatformFixture.JsonOf(response)).GetProperty("formSchema").GetProperty("properties");
            foreach (var (name, source) in matter.Fields.Where(f => f.Value.Source == FieldSourceKind.Form))
            {
                Assert.True(properties.TryGetProperty(source.Field!, out _), $"{matter.MatterCode}: {name} names form field '{source.Field}', which the form lacks.");
            }
        }
    }

    [Fact]
    public async Task A_map_naming_an_unknown_type_or_field_or_an_invalid_constant_stops_the_start()
    {
        const string json = """
        { "matters": [
          { "matterCode": "SJ-X-1", "licenceType": "fishing-licence", "fields": {} },
          { "matterCode": "SJ-X-2", "licenceType": "business-licence", "fields": {
              "legalRepresentative": { "source": "form", "field": "legalRepresentative" },
              "entityType": { "source": "constant", "value": "有限公司" },
              "registeredCapitalTenThousandYuan": { "source": "form", "field": "registeredCapital" },
              "establishedOn": { "source": "approvalDate" },
              "address": { "source": "approvalDate" },
              "shoeSize": { "source": "constant", "value": 42 } } }
        ] }
        """;
        var map = MatterLicenceMap.Read(new MemoryStream(Encoding.UTF8.GetBytes(json)));
        await using var scope = platform.Host.Application("licenses").Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<LicensesDbContext>();

        var refused = await Assert.ThrowsAsync<InvalidOperationException>(
            () => new MatterLicenceMapCheck(map, NullLogger<MatterLicenceMapCheck>.Instance).SeedAsync(db, CancellationToken.None));

        Assert.Contains("SJ-X-1: unknown licence type 'fishing-licence'", refused.Message, StringComparison.Ordinal);
        Assert.Contains("SJ-X-2: entityType: constant \"有限公司\"", refused.Message, StringComparison.Ordinal);
        Assert.Contains("SJ-X-2: address: the approval date can only fill a date field", refused.Message, StringComparison.Ordinal);
        Assert.Contains("SJ-X-2: a business-licence has no field 'shoeSize'", refused.Message, StringComparison.Ordinal);
        Assert.Contains("SJ-X-2: the required field 'businessScope' of a business-licence has no source", refused.Message, StringComparison.Ordinal);
        var unreadable = Assert.Throws<InvalidOperationException>(() => MatterLicenceMap.Read(new MemoryStream(Encoding.UTF8.GetBytes(
            """{ "matters": [ { "matterCode": "SJ-X-3", "licenceType": "business-licence", "fields": { "address": { "source": "guess" } } } ] }"""))));
        Assert.Contains("$.matters[0].fields.address.source", unreadable.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_broken_commitment_revokes_the_licence_its_approval_issued_once()
    {
        var uscc = CasesApplicationApproved.NewUscc();
        var form = new
        {
            companyName = "上海松江承诺示范有限公司", legalRepresentative = "钱八", registeredAddress = "上海市松江区车墩镇车峰路88号",
            registeredCapital = 100, businessScope = "技术服务。", industryCode = "I6513", location = "chedun",
        };
        var approval = new CasesApplicationApproved(Guid.NewGuid(), CasesApplicationApproved.NewNumber(), null, "SJ-SCJ-001", "企业设立登记",
            null, "market-regulation", null, "钱八", "online", JsonSerializer.SerializeToElement(form), uscc, uscc, form.companyName,
            "scj-clerk", DateTimeOffset.UtcNow, CommitmentBased: true);
        await PublishAsync(approval);
        var licence = await LicenceOfAsync(approval.ApplicationNumber);

        var broken = new CasesCommitmentBroken(approval.ApplicationId, approval.ApplicationNumber, "SJ-SCJ-001", uscc, "scj-reviewer", "住所与承诺不符");
        var again = broken with { Id = Guid.NewGuid() };
        await PublishAsync(broken);
        await PublishAsync(again);
        await WaitUntilHandledAsync(broken.Id);
        await WaitUntilHandledAsync(again.Id);

        using var verified = await platform.SendAsync(HttpMethod.Get, $"/api/licenses/public/verify/{licence.Number}", null);
        Assert.Equal("revoked", LicensesFixture.OutcomeOf(await PlatformFixture.JsonOf(verified)));
        await using var scope = platform.Host.Application("licenses").Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<LicensesDbContext>();
        var changes = await db.StatusChanges.AsNoTracking().Where(c => c.LicenceId == licence.Id).ToListAsync();
        var change = Assert.Single(changes);
        Assert.Contains("住所与承诺不符", change.Reason, StringComparison.Ordinal);
        Assert.StartsWith(CommitmentBrokenHandler.RevokedBy, change.ChangedBy, StringComparison.Ordinal);
    }

    /// <summary>The cases service's "commitment broken" event, with the fields the licences service reads.</summary>
    [IntegrationEvent("cases.commitment-broken.v1")]
    private sealed record CasesCommitmentBroken(
        Guid ApplicationId, string ApplicationNumber, string MatterCode, string ApplicantUscc, string VerifiedBy, string Note) : IntegrationEvent;

    private Task PublishAsync(IntegrationEvent evt) =>
        // Any service's bus publishes onto the platform's broker, as the cases service's would.
        platform.Host.Application("catalog").Services.GetRequiredService<IEventBus>().PublishAsync(evt);

    private async Task<Licence> LicenceOfAsync(string applicationNumber)
    {
        var deadline = DateTime.UtcNow + Patience;
        while (true)
        {
            await using var scope = platform.Host.Application("licenses").Services.CreateAsyncScope();
            var licence = await scope.ServiceProvider.GetRequiredService<LicensesDbContext>().Licences.AsNoTracking()
                .SingleOrDefaultAsync(l => l.ApplicationId == applicationNumber);
            if (licence is not null)
            {
                return licence;
            }
            Assert.True(DateTime.UtcNow < deadline, $"No licence was issued for application {applicationNumber} in time.");
            await Task.Delay(100);
        }
    }

    // The licences service's inbox records every event its approval handler has had its effect for.
    private async Task WaitUntilHandledAsync(Guid eventId)
    {
        var deadline = DateTime.UtcNow + Patience;
        while (true)
        {
            await using var scope = platform.Host.Application("licenses").Services.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<LicensesDbContext>();
            var id = eventId.ToString();
            var handled = await db.Database.SqlQuery<int>($"SELECT COUNT(*) AS \"Value\" FROM eventbus_inbox WHERE event_id = {id}").SingleAsync();
            if (handled > 0)
            {
                return;
            }
            Assert.True(DateTime.UtcNow < deadline, $"Event {eventId} was not handled in time.");
            await Task.Delay(100);
        }
    }

    private static string ChinaDate(DateTimeOffset at) => at.ToOffset(TimeSpan.FromHours(8)).ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);
}

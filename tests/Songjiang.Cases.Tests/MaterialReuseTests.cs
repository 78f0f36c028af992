using Songjiang.Testing;
using System.Net;
using Songjiang.Cases.Tests.Support;

namespace Songjiang.Cases.Tests;

/// <summary>减材料: a valid electronic licence the applicant holds stands in for the material it proves; a revoked one does not.</summary>
public sealed class MaterialReuseTests(CasesPlatform platform) : IClassFixture<CasesPlatform>
{
    private readonly CaseDriver _cases = new(platform);

    private async Task<object> SpecialEquipmentAsync(params string[] uploads) => new
    {
        matterCode = "SJ-SCJ-005",
        form = new { uscc = CaseDriver.G60Bio, equipmentType = "压力容器", equipmentCode = "RQ-2026-0815", installAddress = "上海市松江区新桥镇新格路8号" },
        materials = await _cases.UploadAllAsync("ent-g60bio", uploads),
    };

    [Fact]
    public async Task A_held_business_licence_replaces_the_upload_until_it_is_revoked()
    {
        // Without a licence the material must be uploaded.
        var without = await _cases.ExpectAsync(HttpStatusCode.BadRequest, "ent-g60bio", HttpMethod.Post, "/api/cases/applications",
            await SpecialEquipmentAsync("application", "inspection"));
        Assert.Contains("business-licence", without.GetProperty("errors").GetProperty("materials.licence")[0].GetString(), StringComparison.Ordinal);

        // Market regulation issues the enterprise its electronic business licence.
        var licence = await _cases.ExpectAsync(HttpStatusCode.Created, "scj-approver", HttpMethod.Post, "/api/licenses", new
        {
            typeCode = "business-licence",
            holder = new { name = "上海G60生物医药有限公司", uscc = CaseDriver.G60Bio },
            fields = new
            {
                legalRepresentative = "李华", entityType = "有限责任公司", registeredCapitalTenThousandYuan = 3000,
                establishedOn = "2019-06-18", address = "上海市松江区新桥镇新格路8号", businessScope = "生物医药技术开发",
            },
        });
        var licenceNumber = licence.GetProperty("licence").GetProperty("number").GetString();

        var with = await _cases.SubmitAsync("ent-g60bio", await SpecialEquipmentAsync("application", "inspection"));
        var material = with.GetProperty("materials").EnumerateArray().Single(m => m.GetProperty("code").GetString() == "licence");
        Assert.Equal("licence", material.GetProperty("source").GetString());
        Assert.Equal(licenceNumber, material.GetProperty("licenceNumber").GetString());
        Assert.Equal("business-licence", material.GetProperty("licenceType").GetString());

        await _cases.ExpectAsync(HttpStatusCode.OK, "scj-approver", HttpMethod.Post, $"/api/licenses/{licenceNumber}/revoke",
            new { reason = "以欺骗手段取得登记，依法撤销" });
        var after = await _cases.ExpectAsync(HttpStatusCode.BadRequest, "ent-g60bio", HttpMethod.Post, "/api/cases/applications",
            await SpecialEquipmentAsync("application", "inspection"));
        Assert.True(after.GetProperty("errors").TryGetProperty("materials.licence", out _));
    }
}

using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Songjiang.Exchange.Tests.Support;
using Songjiang.Testing;

namespace Songjiang.Exchange.Tests;

/// <summary>A partner city verifies a Songjiang licence by its number or by its national identifier (GB/T 36904).</summary>
[Collection(ExchangeCollection.Name)]
public sealed class PartnerLicenceIdentifierTests(ExchangePlatform platform)
{
    [Fact]
    public async Task A_partner_city_verifies_a_licence_by_number_and_by_national_identifier()
    {
        using var issue = new HttpRequestMessage(HttpMethod.Post, "/api/licenses")
        {
            Content = JsonContent.Create(new
            {
                typeCode = "business-licence",
                holder = new { name = "上海松江智算科技有限公司", uscc = "91310117MA1J3GKL0Q" },
                fields = new Dictionary<string, object>
                {
                    ["legalRepresentative"] = "张明", ["entityType"] = "有限责任公司", ["registeredCapitalTenThousandYuan"] = 1000,
                    ["establishedOn"] = "2021-03-15", ["address"] = "上海市松江区新桥镇新飞路1500号", ["businessScope"] = "技术服务。",
                },
            }),
        };
        issue.Headers.Authorization = new AuthenticationHeaderValue("Bearer", await platform.UserTokenAsync("scj-approver"));
        using var issued = await platform.Gateway.SendAsync(issue);
        Assert.Equal(HttpStatusCode.Created, issued.StatusCode);
        var licence = (await PlatformFixture.JsonOf(issued)).GetProperty("licence");
        var number = licence.GetProperty("number").GetString()!;
        var identifier = licence.GetProperty("nationalIdentifier").GetString()!;

        foreach (var key in new[] { number, identifier })
        {
            using var response = await platform.Partner("330400").SendAsync(HttpMethod.Post, "/api/partner/v1/licenses/verify", new { number = key });
            var text = await response.Content.ReadAsStringAsync();
            Assert.True(response.StatusCode == HttpStatusCode.OK, text);
            var verdict = JsonDocument.Parse(text).RootElement;
            Assert.Equal("valid", verdict.GetProperty("outcome").GetString());
            Assert.Equal(number, verdict.GetProperty("licenceNumber").GetString());
            Assert.Equal(identifier, verdict.GetProperty("nationalIdentifier").GetString());
        }
    }
}

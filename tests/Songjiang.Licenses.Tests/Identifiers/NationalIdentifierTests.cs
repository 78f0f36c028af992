using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Songjiang.Licenses.Api.Domain;
using Songjiang.Licenses.Api.Infrastructure;
using Songjiang.Licenses.Tests.Support;
using Songjiang.Persistence;
using Songjiang.Testing;
using System.Net;
using System.Text.Json;

namespace Songjiang.Licenses.Tests.Identifiers;

/// <summary>GB/T 36904-2018 identifiers: the check character as the provincial platforms compute it, and both identifiers verify.</summary>
public sealed class NationalIdentifierTests(LicensesFixture platform)
{
    // Identifiers published by provincial platforms; the check runs over the part after 1.2.156.3005.2. without dots.
    [Theory]
    [InlineData("1.2.156.3005.2.11100000000013338W087.11370800MB28559184.37080001202411010001.001.3")]
    [InlineData("1.2.156.3005.2.11100000000013338W009.11330105002500287C.2025052201.002.0")]
    [InlineData("1.2.156.3005.2.11100000000013338W011.11430000006122244L.20230000403.002.S")]
    [InlineData("1.2.156.3005.2.11100000000013338W011.11430000006122244L.20230000403.001.U")]
    public void Published_identifiers_carry_the_check_character_we_compute(string published)
    {
        var body = published[NationalLicenceIdentifier.Prefix.Length..published.LastIndexOf('.')];
        var parts = body.Split('.');

        Assert.Equal(published[^1], NationalLicenceIdentifier.CheckCharacter(body.Replace(".", "", StringComparison.Ordinal)));
        Assert.Equal(published, NationalLicenceIdentifier.Compose(parts[0], parts[1], parts[2], int.Parse(parts[3], System.Globalization.CultureInfo.InvariantCulture)));
        Assert.True(NationalLicenceIdentifier.IsValid(published, out _));
    }

    [Theory]
    [InlineData("1.2.156.3005.2.11100000000013338W011.11430000006122244L.20230000403.001.S", "校验位")]
    [InlineData("1.2.156.3005.2.11100000000013338W011.11430000006122244L.20230000403.01.U", "版本号")]
    [InlineData("1.2.156.3005.2.11100000000013338W011.20230000403.001.U", "五段")]
    public void A_wrong_check_character_version_or_shape_is_named(string identifier, string problem)
    {
        Assert.False(NationalLicenceIdentifier.IsValid(identifier, out var error));
        Assert.Contains(problem, error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_new_licence_carries_its_identifier_in_the_seal_and_both_identifiers_verify()
    {
        var number = await platform.IssueBusinessLicenceAsync();
        using var read = await platform.SendAsync(HttpMethod.Get, $"/api/licenses/{number}", "scj-approver");
        var detail = await PlatformFixture.JsonOf(read);
        var identifier = detail.GetProperty("licence").GetProperty("nationalIdentifier").GetString()!;

        Assert.StartsWith("1.2.156.3005.2.11100000000013338W501." + LicensesFixture.MarketRegulation + ".", identifier, StringComparison.Ordinal);
        Assert.EndsWith(".001." + identifier[^1], identifier, StringComparison.Ordinal);
        Assert.True(NationalLicenceIdentifier.IsValid(identifier, out _));
        Assert.Equal(identifier, detail.GetProperty("document").GetProperty("licence").GetProperty("nationalIdentifier").GetString());

        foreach (var key in new[] { number, identifier })
        {
            using var verify = await platform.SendAsync(HttpMethod.Get, $"/api/licenses/public/verify/{Uri.EscapeDataString(key)}", null);
            var answer = await PlatformFixture.JsonOf(verify);
            Assert.Equal("valid", LicensesFixture.OutcomeOf(answer));
            Assert.Equal(number, answer.GetProperty("licenceNumber").GetString());
            Assert.Equal(identifier, answer.GetProperty("nationalIdentifier").GetString());
        }
        var offline = await platform.VerifyDocumentAsync(await platform.DocumentAsync(number));
        Assert.Equal(identifier, offline.GetProperty("nationalIdentifier").GetString());

        // The holder reads it by either; the printable page shows it.
        using var byIdentifier = await platform.SendAsync(HttpMethod.Get, $"/api/licenses/{Uri.EscapeDataString(identifier)}", "ent-zhisuan");
        Assert.Equal(HttpStatusCode.OK, byIdentifier.StatusCode);
        using var print = await platform.SendAsync(HttpMethod.Get, $"/api/licenses/{number}/print", "scj-approver");
        Assert.Contains(identifier, await print.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_identifier_with_a_wrong_check_character_is_bad_input_and_an_unknown_one_is_not_found()
    {
        var number = await platform.IssueBusinessLicenceAsync();
        using var read = await platform.SendAsync(HttpMethod.Get, $"/api/licenses/{number}", "scj-approver");
        var identifier = (await PlatformFixture.JsonOf(read)).GetProperty("licence").GetProperty("nationalIdentifier").GetString()!;
        var wrong = identifier[..^1] + (identifier[^1] == '0' ? '1' : '0');
        var unknown = NationalLicenceIdentifier.Compose("11100000000013338W501", LicensesFixture.MarketRegulation, "20260101NOSUCH00", 1);

        using var bad = await platform.SendAsync(HttpMethod.Get, $"/api/licenses/public/verify/{Uri.EscapeDataString(wrong)}", null);
        using var missing = await platform.SendAsync(HttpMethod.Get, $"/api/licenses/public/verify/{Uri.EscapeDataString(unknown)}", null);

        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        Assert.Contains("校验位", await bad.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
    }

    [Fact]
    public async Task A_document_claiming_an_identifier_with_a_wrong_check_character_is_invalid()
    {
        var number = await platform.IssueBusinessLicenceAsync();
        using var document = JsonDocument.Parse(await platform.DocumentAsync(number));
        var tampered = System.Text.Json.Nodes.JsonNode.Parse(document.RootElement.GetRawText())!;
        var identifier = tampered["licence"]!["nationalIdentifier"]!.GetValue<string>();
        tampered["licence"]!["nationalIdentifier"] = identifier[..^1] + (identifier[^1] == '0' ? '1' : '0');

        var answer = await platform.VerifyDocumentAsync(tampered.ToJsonString());

        Assert.Equal("invalid", LicensesFixture.OutcomeOf(answer));
    }

    [Fact]
    public async Task Licences_issued_before_identifiers_existed_get_theirs_at_start_once()
    {
        var number = await platform.IssueBusinessLicenceAsync();
        var services = platform.Host.Application("licenses").Services;
        await using (var scope = services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<LicensesDbContext>();
            var expected = await db.Licences.Where(l => l.Number == number).Select(l => l.NationalIdentifier).SingleAsync();
            // As the licence was stored before this version: no identifier.
            var stored = await db.Licences.SingleAsync(l => l.Number == number);
            db.Entry(stored).Property(l => l.NationalIdentifier).CurrentValue = null;
            await db.SaveChangesAsync();
            db.ChangeTracker.Clear();

            var seeder = scope.ServiceProvider.GetServices<IDatabaseSeeder<LicensesDbContext>>().OfType<CatalogueSeeder>().Single();
            await seeder.SeedAsync(db, CancellationToken.None);
            await seeder.SeedAsync(db, CancellationToken.None);

            db.ChangeTracker.Clear();
            Assert.Equal(expected, await db.Licences.Where(l => l.Number == number).Select(l => l.NationalIdentifier).SingleAsync());
            Assert.Equal("11100000000013338W501", await db.LicenceTypes.Where(t => t.Code == "business-licence").Select(t => t.NationalTypeCode).SingleAsync());
        }
        using var verify = await platform.SendAsync(HttpMethod.Get, $"/api/licenses/public/verify/{Uri.EscapeDataString(number)}", null);
        Assert.Equal("valid", LicensesFixture.OutcomeOf(await PlatformFixture.JsonOf(verify)));
    }
}

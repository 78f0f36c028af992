namespace Songjiang.Portal.Tests;

/// <summary>
/// The pages the scenarios do not pass through, checked with axe-core as each kind of user sees them, on a desk's and
/// a phone's width.
/// </summary>
[Collection(PortalCollection.Name)]
public sealed class AccessibilityTests(PortalFixture portal)
{
    [Fact]
    public async Task Public_pages_have_no_serious_accessibility_violations()
    {
        var page = await portal.NewPageAsync(width: 390);
        foreach (var (path, name) in new[] { ("/", "30-home-phone"), ("/matters/SJ-SCJ-004", "31-matter-phone"), ("/policies?q=研发", "32-policies-phone"), ("/check", "33-check-phone"), ("/nowhere", "34-not-found-phone") })
        {
            await page.GotoAsync(portal.Url(path));
            await portal.CheckPageAsync(page, name);
        }
    }

    [Fact]
    public async Task Enterprise_caseworker_officer_and_administrator_pages_have_no_serious_accessibility_violations()
    {
        var enterprise = await portal.SignedInAsync("ent-zhisuan");
        foreach (var (path, name) in new[] { ("/applications", "40-applications"), ("/licences", "41-licences"), ("/matters/SJ-RS-002/apply", "42-apply-rs") })
        {
            await enterprise.GotoAsync(portal.Url(path));
            await portal.CheckPageAsync(enterprise, name);
        }

        var caseworker = await portal.SignedInAsync("hr-approver");
        foreach (var (path, name) in new[] { ("/workbench?claimed=none", "43-workbench-filtered"), ("/workbench/escalations", "44-escalations"), ("/workbench/managed", "44b-managed"), ("/dashboard", "45-dashboard-department") })
        {
            await caseworker.GotoAsync(portal.Url(path));
            await portal.CheckPageAsync(caseworker, name);
        }

        var officer = await portal.SignedInAsync("kw-approver");
        await officer.GotoAsync(portal.Url("/policy-desk"));
        await portal.CheckPageAsync(officer, "46-policy-desk");

        var admin = await portal.SignedInAsync("admin");
        foreach (var (path, name) in new[] { ("/dashboard", "47-dashboard"), ("/operations", "48-operations"), ("/operations/workflows", "48b-operations-workflows"), ("/applications", "49-access-denied") })
        {
            await admin.GotoAsync(portal.Url(path));
            await portal.CheckPageAsync(admin, name);
        }
    }
}

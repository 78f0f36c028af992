using Songjiang.Identity.Api.Accounts;
using System.Text;

namespace Songjiang.LocalHost;

/// <summary>What the embedded platform prints when it is up: where to go and who to sign in as.</summary>
public static class Banner
{
    /// <summary>The banner text.</summary>
    public static string Describe(PlatformHost platform)
    {
        var gateway = platform.Options.GatewayUrl;
        var text = new StringBuilder()
            .AppendLine()
            .AppendLine("Songjiang G60 一网通办 platform is running (embedded mode).")
            .AppendLine($"  Gateway        {gateway}")
            .AppendLine($"  API reference  {gateway}/docs")
            .AppendLine($"  Health         {gateway}/health")
            .AppendLine($"  OpenID config  {gateway}/.well-known/openid-configuration")
            .AppendLine($"  Data folder    {platform.Options.DataDirectory}")
            .AppendLine("  Services (loopback, reached through the gateway):");
        foreach (var module in PlatformHost.ServiceModules)
        {
            text.AppendLine($"    {module.Name,-12} {platform.Options.Services[module.Name]}  {module.Title}");
        }

        if (!platform.Application("identity").Configuration.GetValue<bool>("Identity:DemoProfile"))
        {
            // Outside the demo profile the demo accounts and secrets are disabled: do not advertise them.
            return text.AppendLine("Identity: demo profile off; clients and secrets come from Identity:Clients.")
                .AppendLine("Press Ctrl+C to stop.").ToString();
        }
        var demo = DemoAccounts.Load();
        text.AppendLine($"Demo accounts (password for all: {demo.Password}):");
        foreach (var user in demo.Users)
        {
            text.AppendLine($"    {user.UserName,-14} {string.Join(",", user.Roles),-13} {user.Department ?? user.Uscc ?? ""}  {user.DisplayName}");
        }
        text.AppendLine("Partner-city clients: g60-<city code> with secret demo-g60-<city code>-secret (client_credentials).")
            .AppendLine("Get a token:")
            .AppendLine($"    curl -s {gateway}/connect/token -d grant_type=password -d client_id=songjiang-cli \\")
            .AppendLine($"         -d username=ent-zhisuan -d password={demo.Password} -d 'scope=openid profile api'")
            .AppendLine("Press Ctrl+C to stop.");
        return text.ToString();
    }
}

using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Songjiang.PolicyRadar.Api.Infrastructure;
using Songjiang.Testing;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;

namespace Songjiang.PolicyRadar.Tests;

/// <summary>What the radar's platform tests do through the gateway, and what they read of its outbox and inbox.</summary>
internal sealed class RadarTestClient(PlatformFixture platform)
{
    public const string Zhisuan = "91310117MA1J3GKL0Q";
    public const string G60Bio = "91310117MA1H8BXR2W";

    public async Task<HttpResponseMessage> SendAsync(HttpMethod method, string path, string? token, object? body = null)
    {
        var request = new HttpRequestMessage(method, path);
        if (body is not null)
        {
            request.Content = JsonContent.Create(body);
        }
        if (token is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }
        return await platform.Gateway.SendAsync(request);
    }

    public async Task<JsonElement> OkJsonAsync(HttpMethod method, string path, string? token, object? body = null)
    {
        using var response = await SendAsync(method, path, token, body);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"{method} {path}: {(int)response.StatusCode} {text}");
        return JsonDocument.Parse(text).RootElement.Clone();
    }

    /// <summary>A policy drafted by the 科委 clerk, reviewed by its reviewer and published by its approver.</summary>
    public async Task<Guid> PublishAsync(object draft)
    {
        var clerk = await platform.UserTokenAsync("kw-clerk");
        var created = await OkJsonAsync(HttpMethod.Post, "/api/policyradar/manage/policies/", clerk, draft);
        var id = created.GetProperty("id").GetGuid();
        await OkJsonAsync(HttpMethod.Post, $"/api/policyradar/manage/policies/{id}/submit", clerk);
        await OkJsonAsync(HttpMethod.Post, $"/api/policyradar/manage/policies/{id}/review", await platform.UserTokenAsync("kw-reviewer"), new { decision = "approve" });
        await OkJsonAsync(HttpMethod.Post, $"/api/policyradar/manage/policies/{id}/publish", await platform.UserTokenAsync("kw-approver"));
        return id;
    }

    public static object Draft(string title, object criteria, bool exempt = false, string text = "为支持企业发展，制定本办法。") => new
    {
        title, issuingBody = "松江区科学技术委员会", level = "Songjiang", documentNumber = "松科测〔2026〕" + Guid.NewGuid().ToString("N")[..6] + "号",
        effectiveFrom = "2026-01-01", expiresOn = "2028-12-31", fullText = text, benefitType = "subsidy", benefitAmount = 100000m,
        industries = new[] { "人工智能" }, enterpriseKinds = new[] { "科技型中小企业" }, topics = new[] { "研发" }, criteria, exemptFromApplication = exempt,
    };

    /// <summary>The radar's waiting until the initial sync of enterprise profiles is done.</summary>
    public async Task WaitForSyncAsync()
    {
        var admin = await platform.UserTokenAsync("admin");
        await EventuallyAsync(async () =>
        {
            var status = await OkJsonAsync(HttpMethod.Get, "/api/policyradar/admin/status", admin);
            return status.TryGetProperty("sync", out var sync) && sync.GetProperty("completed").GetBoolean();
        }, "the initial sync");
    }

    /// <summary>The data of every event of a topic in the radar's outbox.</summary>
    public async Task<List<JsonElement>> EventsAsync(string topic) =>
        [.. (await EnvelopesAsync(topic)).Select(e => e.GetProperty("data"))];

    /// <summary>The CloudEvents envelopes of every event of a topic in the radar's outbox.</summary>
    public async Task<List<JsonElement>> EnvelopesAsync(string topic)
    {
        await using var scope = platform.Host.Application("policyradar").Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<PolicyRadarDbContext>();
        var envelopes = await db.Database.SqlQuery<string>($"SELECT envelope AS \"Value\" FROM eventbus_outbox WHERE topic = {topic}").ToListAsync();
        return [.. envelopes.Select(e => JsonDocument.Parse(e).RootElement.Clone())];
    }

    /// <summary>Whether the radar's inbox recorded an event as handled.</summary>
    public async Task<bool> HandledAsync(Guid eventId)
    {
        await using var scope = platform.Host.Application("policyradar").Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<PolicyRadarDbContext>();
        var id = eventId.ToString();
        return await db.Database.SqlQuery<int>($"SELECT COUNT(*) AS \"Value\" FROM eventbus_inbox WHERE event_id = {id}").SingleAsync() > 0;
    }

    public static async Task EventuallyAsync(Func<Task<bool>> condition, string what, int seconds = 20)
    {
        var until = DateTime.UtcNow.AddSeconds(seconds);
        while (!await condition())
        {
            Assert.True(DateTime.UtcNow < until, $"timed out waiting for {what}");
            await Task.Delay(100);
        }
    }

    public static void AssertStatus(HttpStatusCode expected, HttpResponseMessage response) =>
        Assert.True(expected == response.StatusCode, $"expected {expected}, got {(int)response.StatusCode} {response.Content.ReadAsStringAsync().Result}");
}

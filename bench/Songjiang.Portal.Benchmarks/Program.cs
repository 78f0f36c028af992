using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Configuration;
using Songjiang.LocalHost;

// Server render time of the portal's enterprise home and caseworker inbox, through the gateway, against the time of
// the API calls each page makes (issued the way the page issues them, in parallel, with a bearer token), measured
// alternately in the same run. Arguments: applications of the enterprise, open tasks of the department, requests.
var applications = args.Length > 0 ? int.Parse(args[0], System.Globalization.CultureInfo.InvariantCulture) : 1000;
var openTasks = args.Length > 1 ? int.Parse(args[1], System.Globalization.CultureInfo.InvariantCulture) : 10000;
var samples = args.Length > 2 ? int.Parse(args[2], System.Globalization.CultureInfo.InvariantCulture) : 200;

var data = Path.Combine(Path.GetTempPath(), "songjiang-portal-bench", Guid.NewGuid().ToString("N"));
var ports = FreePorts(PlatformHost.ServiceModules.Count + 1);
var settings = new Dictionary<string, string?>
{
    ["Platform:GatewayUrl"] = $"http://127.0.0.1:{ports[0]}",
    ["Platform:DataDirectory"] = data,
    ["Identity:DemoProfile"] = "true",
    ["Identity:RequireHttps"] = "false",
    ["Enterprises:DemoData"] = "true",
    ["ServiceAccount:ClientId"] = "songjiang-services",
    ["ServiceAccount:ClientSecret"] = "demo-services-secret",
    ["Gateway:RateLimit:Burst"] = "1000000",
    ["Gateway:RateLimit:TokensPerPeriod"] = "1000000",
    ["Logging:LogLevel:Default"] = "Error",
};
for (var i = 0; i < PlatformHost.ServiceModules.Count; i++)
{
    settings[$"Platform:Services:{PlatformHost.ServiceModules[i].Name}"] = $"http://127.0.0.1:{ports[i + 1]}";
}
await using var platform = await PlatformHost.StartAsync(new ConfigurationBuilder().AddInMemoryCollection(settings).Build(), "Production");
var gateway = platform.GatewayUri;
using var api = new HttpClient(new SocketsHttpHandler { ActivityHeadersPropagator = null, MaxConnectionsPerServer = 64 }) { BaseAddress = gateway };

var enterpriseToken = await TokenAsync("ent-zhisuan");
var clerkToken = await TokenAsync("hr-clerk");
Console.WriteLine($"Seeding {applications} applications of 上海松江智算科技有限公司 (each an open task of 区人社局) ...");
var seeding = Stopwatch.StartNew();
var pdf = Encoding.ASCII.GetBytes("%PDF-1.7\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n");
await Parallel.ForAsync(0, applications, new ParallelOptions { MaxDegreeOfParallelism = 4 }, async (i, ct) =>
{
    // SJ-RS-003 (用人单位招用人员就业登记): one upload, and a window clerk's task in 区人社局's inbox.
    using var upload = new MultipartFormDataContent { { new ByteArrayContent(pdf) { Headers = { ContentType = new MediaTypeHeaderValue("application/pdf") } }, "file", "contracts.pdf" } };
    using var uploaded = await SendAsync(HttpMethod.Post, "/api/cases/uploads", enterpriseToken, upload);
    var id = (await uploaded.Content.ReadFromJsonAsync<JsonElement>(ct)).GetProperty("id").GetGuid();
    using var submitted = await SendAsync(HttpMethod.Post, "/api/cases/applications", enterpriseToken, JsonContent.Create(new
    {
        matterCode = "SJ-RS-003",
        materials = new Dictionary<string, Guid> { ["contracts"] = id },
        form = new { uscc = "91310117MA1J3GKL0Q", employeeCount = 3, contractStart = "2026-12-01" },
    }));
    if (submitted.StatusCode != HttpStatusCode.Created)
    {
        throw new InvalidOperationException(await submitted.Content.ReadAsStringAsync(ct));
    }
});
if (openTasks > applications)
{
    await CopyOpenTasksAsync(openTasks - applications);
}
Console.WriteLine($"Seeded in {seeding.Elapsed.TotalSeconds:0} s.");

var enterpriseBrowser = await SignInAsync("ent-zhisuan");
var clerkBrowser = await SignInAsync("hr-clerk");

// The calls each page makes, as the page makes them: all at once. The hall's list of open applications carries what each
// asks of the enterprise, so the page reads none of them one by one; the licence types' names come from the portal's
// reference cache, so the page does not ask for them per render.
string[] homeCalls =
[
    "/api/enterprises/me",
    "/api/cases/applications?status=submitted,correction-requested,under-review,awaiting-confirmation,in-progress&pageSize=10",
    "/api/licenses/?pageSize=50",
    "/api/policyradar/enterprises/me/matches?nearMisses=false",
];
string[] inboxCalls = ["/api/cases/tasks?pageSize=100"];

foreach (var (name, page, calls, browser, token) in new[]
{
    ("enterprise home /", "/", homeCalls, enterpriseBrowser, enterpriseToken),
    ("caseworker inbox /workbench", "/workbench", inboxCalls, clerkBrowser, clerkToken),
})
{
    for (var warm = 0; warm < 20; warm++)
    {
        await TimeAsync(() => PageAsync(browser, page));
        await TimeAsync(() => CallsAsync(token, calls));
    }
    var loadBefore = LoadAverage();
    var pageTimes = new List<double>();
    var apiTimes = new List<double>();
    for (var i = 0; i < samples; i++)
    {
        pageTimes.Add(await TimeAsync(() => PageAsync(browser, page)));
        apiTimes.Add(await TimeAsync(() => CallsAsync(token, calls)));
    }
    // Each call alone, to see where the API time goes.
    foreach (var call in calls)
    {
        var alone = new List<double>();
        for (var i = 0; i < Math.Max(10, samples / 4); i++)
        {
            alone.Add(await TimeAsync(async () =>
            {
                using var response = await SendAsync(HttpMethod.Get, call, token);
                await response.Content.ReadAsByteArrayAsync();
            }));
        }
        Console.WriteLine($"  {call}: p50 {P(alone, 50):0.0} ms, p95 {P(alone, 95):0.0} ms");
    }
    Console.WriteLine($"{name}: page p50 {P(pageTimes, 50):0.0} ms, p95 {P(pageTimes, 95):0.0} ms; its API calls p50 {P(apiTimes, 50):0.0} ms, "
        + $"p95 {P(apiTimes, 95):0.0} ms; ratio of p95 {P(pageTimes, 95) / P(apiTimes, 95):0.00}; page adds {P(pageTimes, 50) - P(apiTimes, 50):0.0} ms at p50"
        + $" (load average {loadBefore} before, {LoadAverage()} after)");
}
Directory.Delete(data, recursive: true);
return;

async Task PageAsync(HttpClient browser, string path)
{
    using var response = await browser.GetAsync(path);
    var html = await response.Content.ReadAsStringAsync();
    if (response.StatusCode != HttpStatusCode.OK || html.Contains("/account/login", StringComparison.Ordinal))
    {
        throw new InvalidOperationException($"{path} answered {(int)response.StatusCode}");
    }
}

async Task CallsAsync(string token, string[] calls) =>
    await Task.WhenAll(calls.Select(async path =>
    {
        using var response = await SendAsync(HttpMethod.Get, path, token);
        await response.Content.ReadAsByteArrayAsync();
    }));

// The department's other open tasks belong to another enterprise's applications. Submitting thousands more through the
// gateway takes longer than the measurement itself, so they are copies, made in the cases database in one transaction,
// of applications seeded above (each with its material and its open task), under 上海G60生物医药有限公司 and new
// numbers: the rows the work list reads are the rows a submission writes.
async Task CopyOpenTasksAsync(int count)
{
    const string Seeded = "91310117MA1J3GKL0Q", Other = "91310117MA1H8BXR2W", OtherName = "上海G60生物医药有限公司";
    await using var connection = new SqliteConnection(new SqliteConnectionStringBuilder
    {
        DataSource = Path.Combine(data, "cases.db"), DefaultTimeout = 60, Pooling = false,
    }.ToString());
    await connection.OpenAsync();
    var sources = new List<(string Application, string Number, string Task)>();
    await using (var read = connection.CreateCommand())
    {
        read.CommandText = "SELECT a.Id, a.Number, t.Id FROM applications a JOIN case_tasks t ON t.ApplicationId = a.Id "
            + "WHERE a.ApplicantUscc = $uscc AND t.Status = 'Open' AND t.Department <> 'applicant'";
        read.Parameters.AddWithValue("$uscc", Seeded);
        await using var reader = await read.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            sources.Add((reader.GetString(0), reader.GetString(1), reader.GetString(2)));
        }
    }
    if (sources.Count == 0)
    {
        throw new InvalidOperationException("No open task of the seeded applications to copy.");
    }
    var replaced = new Dictionary<string, string>
    {
        ["Id"] = "$id", ["Number"] = "$number", ["Correlation"] = "$correlation", ["ApplicantUscc"] = "$uscc", ["ApplicantName"] = "$name",
        ["Form"] = "replace(Form, '" + Seeded + "', $uscc)", ["IdempotencyKey"] = "NULL", ["ApplicationId"] = "$id", ["ApplicationNumber"] = "$number",
    };
    await using var transaction = (SqliteTransaction)await connection.BeginTransactionAsync();
    var copyApplication = await CopyCommandAsync("applications", "Id = $old", replaced);
    var copyMaterials = await CopyCommandAsync("application_materials", "ApplicationId = $old", replaced, skip: "Id");
    var copyTask = await CopyCommandAsync("case_tasks", "Id = $oldTask", new(replaced) { ["Id"] = "$task" });
    for (var i = 0; i < count; i++)
    {
        var (application, number, task) = sources[i % sources.Count];
        var values = new Dictionary<string, object>
        {
            ["$old"] = application, ["$oldTask"] = task, ["$id"] = Guid.NewGuid().ToString().ToUpperInvariant(),
            ["$task"] = Guid.NewGuid().ToString().ToUpperInvariant(), ["$number"] = number[..(number.LastIndexOf('-') + 1)] + (500000 + i).ToString("D6", System.Globalization.CultureInfo.InvariantCulture),
            ["$correlation"] = Guid.NewGuid().ToString("N"), ["$uscc"] = Other, ["$name"] = OtherName,
        };
        foreach (var command in new[] { copyApplication, copyMaterials, copyTask })
        {
            command.Parameters.Clear();
            foreach (var (name, value) in values.Where(v => command.CommandText.Contains(v.Key, StringComparison.Ordinal)))
            {
                command.Parameters.AddWithValue(name, value);
            }
            await command.ExecuteNonQueryAsync();
        }
    }
    await transaction.CommitAsync();

    async Task<SqliteCommand> CopyCommandAsync(string table, string where, Dictionary<string, string> expressions, string? skip = null)
    {
        var columns = new List<string>();
        await using (var info = connection.CreateCommand())
        {
            info.CommandText = $"SELECT name FROM pragma_table_info('{table}')";
            await using var reader = await info.ExecuteReaderAsync();
            while (await reader.ReadAsync())
            {
                if (reader.GetString(0) != skip)
                {
                    columns.Add(reader.GetString(0));
                }
            }
        }
        var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = $"INSERT INTO {table} ({string.Join(", ", columns.Select(c => $"\"{c}\""))}) SELECT "
            + string.Join(", ", columns.Select(c => expressions.GetValueOrDefault(c, $"\"{c}\""))) + $" FROM {table} WHERE {where}";
        return command;
    }
}

// The one-minute load average, where the system tells it (Linux).
static string LoadAverage() =>
    File.Exists("/proc/loadavg") ? File.ReadAllText("/proc/loadavg").Split(' ')[0] : "unknown";

static async Task<double> TimeAsync(Func<Task> action)
{
    var watch = Stopwatch.StartNew();
    await action();
    return watch.Elapsed.TotalMilliseconds;
}

static double P(List<double> values, int percentile)
{
    var sorted = values.Order().ToList();
    return sorted[Math.Clamp((int)Math.Ceiling(percentile / 100.0 * sorted.Count) - 1, 0, sorted.Count - 1)];
}

async Task<HttpResponseMessage> SendAsync(HttpMethod method, string path, string token, HttpContent? content = null)
{
    using var request = new HttpRequestMessage(method, path) { Content = content };
    request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
    return await api.SendAsync(request);
}

async Task<string> TokenAsync(string user)
{
    using var response = await api.PostAsync("/connect/token", new FormUrlEncodedContent(new Dictionary<string, string>
    {
        ["grant_type"] = "password", ["client_id"] = "songjiang-cli", ["username"] = user, ["password"] = "Songjiang@2026",
        ["scope"] = "openid profile roles api",
    }));
    return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("access_token").GetString()!;
}

// Signs in the way a browser does (the portal's OpenID Connect flow and the identity service's login form) and
// returns a client holding only the portal's session cookie.
async Task<HttpClient> SignInAsync(string user)
{
    var browser = new HttpClient(new SocketsHttpHandler
    {
        AllowAutoRedirect = true, UseCookies = true, CookieContainer = new CookieContainer(), ActivityHeadersPropagator = null,
    }) { BaseAddress = gateway };
    var login = await browser.GetAsync("/auth/login?returnUrl=%2F");
    var html = await login.Content.ReadAsStringAsync();
    var token = Regex.Match(html, "name=\"(__RequestVerificationToken[^\"]*)\" value=\"([^\"]+)\"");
    var returnUrl = WebUtility.HtmlDecode(Regex.Match(html, "name=\"returnUrl\" value=\"([^\"]*)\"").Groups[1].Value);
    using var signedIn = await browser.PostAsync("/account/login", new FormUrlEncodedContent(new Dictionary<string, string>
    {
        [WebUtility.HtmlDecode(token.Groups[1].Value)] = WebUtility.HtmlDecode(token.Groups[2].Value),
        ["userName"] = user, ["password"] = "Songjiang@2026", ["returnUrl"] = returnUrl,
    }));
    if (!signedIn.IsSuccessStatusCode || signedIn.RequestMessage?.RequestUri?.AbsolutePath != "/")
    {
        throw new InvalidOperationException($"sign-in of {user} ended at {signedIn.RequestMessage?.RequestUri} ({(int)signedIn.StatusCode})");
    }
    return browser;
}

static int[] FreePorts(int count)
{
    var listeners = Enumerable.Range(0, count).Select(_ => new TcpListener(IPAddress.Loopback, 0)).ToList();
    listeners.ForEach(l => l.Start());
    var ports = listeners.Select(l => ((IPEndPoint)l.LocalEndpoint).Port).ToArray();
    listeners.ForEach(l => l.Stop());
    return ports;
}

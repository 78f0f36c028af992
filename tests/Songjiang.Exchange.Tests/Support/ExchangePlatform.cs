using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Microsoft.Data.Sqlite;
using Songjiang.SharedKernel;
using Songjiang.Testing;

namespace Songjiang.Exchange.Tests.Support;

/// <summary>
/// The embedded platform for exchange tests: webhooks may go to loopback (the test receiver), retries are quick,
/// and Hangzhou (330100) is rotating its key — <c>demo-1</c> and <c>hz-2026</c> active, <c>hz-2025</c> retired.
/// </summary>
public class ExchangePlatform : PlatformFixture
{
    /// <summary>Hangzhou's new key.</summary>
    public const string RotatedKeyId = "hz-2026";

    /// <summary>Its secret.</summary>
    public const string RotatedSecret = "hz-2026-test-secret-0123456789";

    /// <summary>Hangzhou's retired key.</summary>
    public const string RetiredKeyId = "hz-2025";

    /// <summary>Its secret.</summary>
    public const string RetiredSecret = "hz-2025-test-secret-0123456789";

    /// <summary>A platform with its own new data folder.</summary>
    public ExchangePlatform()
    {
    }

    /// <summary>A platform on a given data folder and ports (to restart it).</summary>
    protected ExchangePlatform(string dataDirectory, bool ownsDataDirectory, int[] ports)
        : base(dataDirectory, ownsDataDirectory, ports)
    {
    }

    /// <inheritdoc />
    protected override IEnumerable<KeyValuePair<string, string?>> Settings => base.Settings.Concat(new Dictionary<string, string?>
    {
        ["Exchange:AllowPrivateWebhookTargets"] = "true",
        ["Exchange:WebhookFirstDelay"] = "00:00:00.200",
        ["Exchange:WebhookMaxDelay"] = "00:00:01",
        ["Exchange:WebhookPollInterval"] = "00:00:00.100",
        ["Exchange:Partners:330100:Keys:0:KeyId"] = RotatedKeyId,
        ["Exchange:Partners:330100:Keys:0:Secret"] = RotatedSecret,
        ["Exchange:Partners:330100:Keys:1:KeyId"] = RetiredKeyId,
        ["Exchange:Partners:330100:Keys:1:Secret"] = RetiredSecret,
        ["Exchange:Partners:330100:Keys:1:Status"] = "retired",
        ["Gateway:RateLimit:Burst"] = "100000",
        ["Gateway:RateLimit:TokensPerPeriod"] = "100000",
    });

    /// <summary>A partner client of a city with its demo key.</summary>
    public PartnerClient Partner(string city, string keyId = "demo-1", string? secret = null) => new(Gateway, city, keyId, secret);

    /// <summary>A valid unified social credit code registered in the given city.</summary>
    public static string Uscc(string division, string body = "MA2B3C4D5")
    {
        var first17 = "91" + division + body;
        return first17 + UnifiedSocialCreditCode.CheckCharacter(first17);
    }

    /// <summary>Opens the exchange's SQLite database directly (to count rows, or to tamper with the log).</summary>
    public SqliteConnection OpenDatabase(string service = "exchange")
    {
        var connection = new SqliteConnection(new SqliteConnectionStringBuilder
        {
            DataSource = Path.Combine(DataDirectory, service + ".db"),
            Pooling = false,
        }.ToString());
        connection.Open();
        return connection;
    }

    /// <summary>The rows of a table (optionally those matching a condition).</summary>
    public long Count(string table, string service = "exchange", string where = "1 = 1")
    {
        using var connection = OpenDatabase(service);
        using var command = connection.CreateCommand();
        command.CommandText = $"SELECT COUNT(*) FROM \"{table}\" WHERE {where}";
        return Convert.ToInt64(command.ExecuteScalar(), CultureInfo.InvariantCulture);
    }

    /// <summary>
    /// Cases filed on the partner channel (other cases appear on their own, e.g. 免申即享 offers after start-up).
    /// </summary>
    public long PartnerCases() => Count("applications", "cases", "Channel = 'PartnerCity'");

    /// <summary>Uploads made by the exchange's service account.</summary>
    public long PartnerUploads() => Count("uploads", "cases", "Owner = 'songjiang-services'");

    /// <summary>What a refused request must not change: nonces, log, applications, deliveries, cases and uploads.</summary>
    public string Footprint() => string.Join(",",
        Count("partner_nonces"), Count("message_log"), Count("partner_applications"), Count("webhook_deliveries"),
        PartnerCases(), PartnerUploads());

    /// <summary>A small real PDF.</summary>
    public static readonly byte[] Pdf = Encoding.ASCII.GetBytes("%PDF-1.7\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n");

    /// <summary>A material entry.</summary>
    public static object Material(string code, byte[]? content = null, string mediaType = "application/pdf", string? sha256 = null, string? base64 = null)
    {
        var bytes = content ?? Pdf;
        return new
        {
            code,
            fileName = code + ".pdf",
            mediaType,
            content = base64 ?? Convert.ToBase64String(bytes),
            sha256 = sha256 ?? Convert.ToHexStringLower(SHA256.HashData(bytes)),
        };
    }

    /// <summary>An application for 单位社会保险注销登记 (SJ-RS-002), open to every partner city.</summary>
    public static object Application(string reference, string? uscc = null, object[]? materials = null, string matter = "SJ-RS-002")
    {
        var applicant = uscc ?? Uscc("330400");
        return new
        {
            partnerReference = reference,
            matterCode = matter,
            applicant = new { uscc = applicant, name = "嘉兴南湖智造有限公司" },
            form = new { uscc = applicant, reason = "迁出松江", arrearsSettled = true },
            materials = materials ?? [Material("application"), Material("settlement")],
        };
    }
}

/// <summary>The exchange platform restarted on existing data and addresses.</summary>
public sealed class RestartedExchangePlatform(string dataDirectory, int[] ports) : ExchangePlatform(dataDirectory, ownsDataDirectory: false, ports);

/// <summary>One exchange platform shared by the tests of the collection (they run one after another).</summary>
[CollectionDefinition(Name)]
public sealed class ExchangeCollection : ICollectionFixture<ExchangePlatform>
{
    /// <summary>The collection's name.</summary>
    public const string Name = "exchange";
}

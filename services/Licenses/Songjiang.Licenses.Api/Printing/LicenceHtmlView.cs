using QRCoder;
using Songjiang.Licenses.Api.Domain;
using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Unicode;
using System.Text.Json;

namespace Songjiang.Licenses.Api.Printing;

/// <summary>
/// A self-contained printable page of a licence: its content, the seal's key id, the verification URL and a QR
/// code of that URL, so whoever holds the paper can check it online. Every value is HTML-encoded.
/// </summary>
public static class LicenceHtmlView
{
    // Chinese text stays readable in the page source; markup characters are still encoded.
    private static readonly HtmlEncoder Encoder = HtmlEncoder.Create(UnicodeRanges.All);

    /// <summary>Renders the page.</summary>
    public static string Render(Licence licence, LicenceType type, IssuingAuthority authority, string verificationUrl)
    {
        var html = Encoder;
        var rows = new StringBuilder();
        void Row(string label, string? value) => rows.Append("<tr><th>").Append(html.Encode(label)).Append("</th><td>")
            .Append(html.Encode(value ?? "")).Append("</td></tr>\n");

        Row("证照编号 Licence number", licence.Number);
        Row("电子证照标识 National identifier", licence.NationalIdentifier);
        Row("持证主体 Holder", licence.HolderName);
        Row("统一社会信用代码 USCC", licence.HolderUscc);
        using (var payload = JsonDocument.Parse(licence.Payload))
        {
            var fields = payload.RootElement.GetProperty("fields");
            foreach (var definition in type.Fields)
            {
                if (fields.TryGetProperty(definition.Name, out var value))
                {
                    Row(definition.Label, value.ValueKind == JsonValueKind.Number
                        ? value.GetDouble().ToString(CultureInfo.InvariantCulture)
                        : value.GetString());
                }
            }
        }
        Row("有效期限 Valid", $"{licence.ValidFrom:yyyy-MM-dd} 至 {(licence.ValidUntil is { } until ? until.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) : "长期")}");
        Row("发证机关 Issuing authority", authority.Name);
        Row("发证日期 Issue date", licence.IssueDate.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture));
        Row("电子印章 Seal", $"SM2-SM3, key {licence.KeyId}");
        if (licence.Status != LicenceStatus.Active)
        {
            Row("状态 Status", $"{licence.Status}: {licence.StatusReason}");
        }

        using var generator = new QRCodeGenerator();
        using var qr = generator.CreateQrCode(verificationUrl, QRCodeGenerator.ECCLevel.M);
        var svg = new SvgQRCode(qr).GetGraphic(4);

        return $$"""
            <!DOCTYPE html>
            <html lang="zh-CN">
            <head>
            <meta charset="utf-8">
            <title>{{html.Encode(type.Name)}} {{html.Encode(licence.Number)}}</title>
            <style>
            body { font-family: "Noto Serif CJK SC", "Songti SC", serif; margin: 2cm; }
            h1 { text-align: center; letter-spacing: 0.5em; }
            table { border-collapse: collapse; width: 100%; }
            th, td { border: 1px solid #444; padding: 6px 10px; text-align: left; vertical-align: top; }
            th { width: 30%; background: #f4f4f4; }
            .verify { margin-top: 1.5em; display: flex; gap: 1.5em; align-items: center; }
            .verify svg { width: 4cm; height: 4cm; }
            @media print { body { margin: 1cm; } }
            </style>
            </head>
            <body>
            <h1>{{html.Encode(type.Name)}}</h1>
            <p style="text-align:center">{{html.Encode(type.EnglishName)}}（电子证照 electronic licence）</p>
            <table>
            {{rows}}</table>
            <div class="verify">
            {{svg}}
            <p>扫码或访问以下地址核验本证照 Scan or visit to verify:<br><a href="{{html.Encode(verificationUrl)}}">{{html.Encode(verificationUrl)}}</a></p>
            </div>
            </body>
            </html>
            """;
    }
}

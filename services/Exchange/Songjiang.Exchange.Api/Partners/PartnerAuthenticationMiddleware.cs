using System.Buffers;
using System.Data.Common;
using System.Globalization;
using System.Runtime.ExceptionServices;
using System.Security.Claims;
using System.Security.Cryptography;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Songjiang.Exchange.Api.Domain;
using Songjiang.Exchange.Api.Extensions;
using Songjiang.Exchange.Api.Infrastructure;
using Songjiang.Exchange.Api.MessageLog;
using Songjiang.ServiceDefaults.Authentication;
using Songjiang.ServiceDefaults.Correlation;

namespace Songjiang.Exchange.Api.Partners;

/// <summary>
/// Authenticates every request under <c>/api/partner/v1</c> by its G60 signature before any endpoint runs: the five
/// headers, an active key of the named city, the timestamp within the window, the HMAC over the canonical string and
/// the raw body, and a nonce never used before by that city (stored in the exchange's database under a unique key,
/// so neither a restart nor another replica lets a replay through). A refused request stops here and leaves nothing
/// behind. An accepted one is appended to the message log with its response, and answered with
/// <c>X-G60-Verified-City</c> so the gateway charges the right city's rate limit.
/// </summary>
public sealed class PartnerAuthenticationMiddleware(
    RequestDelegate next, PartnerKeyRing keys, IOptions<ExchangeOptions> options, TimeProvider clock, MessageChain chain,
    NonceStore nonces, ILogger<PartnerAuthenticationMiddleware> logger)
{
    /// <summary>The path prefix of the partner API.</summary>
    public const string PathPrefix = "/api/partner/v1";

    /// <summary>The response header naming the verified city, for the gateway's per-city rate limit.</summary>
    public const string VerifiedCityHeader = "X-G60-Verified-City";

    /// <summary>Runs the check.</summary>
    public async Task InvokeAsync(HttpContext context)
    {
        if (!context.Request.Path.StartsWithSegments(PathPrefix))
        {
            await next(context);
            return;
        }
        var headers = context.Request.Headers;
        if (!headers.ContainsKey(PartnerSignature.SignatureHeader) && BearerCity(context.User) is { } bearerCity)
        {
            // A partner system's client-credentials token is accepted too (the signed path is the contract; this one is
            // the comparison baseline and a fallback for cities without keys yet).
            var body = await ReadBodyAsync(context);
            if (body is null)
            {
                return;
            }
            context.Features.Set(new PartnerCaller(bearerCity, null, body, PartnerSignature.BodySha256(body)));
            await next(context);
            return;
        }

        foreach (var name in PartnerSignature.Headers)
        {
            if (string.IsNullOrWhiteSpace(headers[name]))
            {
                await PartnerProblems.UnauthorizedAsync(context, "missing-header", $"缺少请求头 {name}。");
                return;
            }
        }
        string city = headers[PartnerSignature.CityHeader]!, keyId = headers[PartnerSignature.KeyIdHeader]!;
        string timestamp = headers[PartnerSignature.TimestampHeader]!, nonce = headers[PartnerSignature.NonceHeader]!;
        string signature = headers[PartnerSignature.SignatureHeader]!;

        if (!PartnerSignature.IsWellFormedNonce(nonce))
        {
            await PartnerProblems.UnauthorizedAsync(context, "malformed-nonce", "X-G60-Nonce 须为 16 至 64 位字母、数字、下划线或连字符。");
            return;
        }
        if (!long.TryParse(timestamp, NumberStyles.None, CultureInfo.InvariantCulture, out var seconds))
        {
            await PartnerProblems.UnauthorizedAsync(context, "malformed-timestamp", "X-G60-Timestamp 须为 Unix 时间（秒）。");
            return;
        }
        var key = keys.ActiveKey(city, keyId);
        if (key is null)
        {
            await PartnerProblems.UnauthorizedAsync(context, "unknown-key", "未知的城市或密钥编号，或该密钥已停用。");
            return;
        }
        var now = clock.GetUtcNow();
        var window = options.Value.TimestampWindow;
        if (Math.Abs(now.ToUnixTimeSeconds() - seconds) > window.TotalSeconds)
        {
            await PartnerProblems.UnauthorizedAsync(context, "stale-timestamp",
                $"请求时间戳与服务器时钟相差超过 {window.TotalSeconds:0} 秒；请校准时钟后用新的随机数重新签名。");
            return;
        }

        var raw = await ReadBodyAsync(context);
        if (raw is null)
        {
            return;
        }
        var bodySha = PartnerSignature.BodySha256(raw);
        var target = context.Features.Get<IHttpRequestFeature>()?.RawTarget is { Length: > 0 } rawTarget
            ? rawTarget
            : context.Request.Path.Value + context.Request.QueryString.Value;
        var canonical = PartnerSignature.Canonical(context.Request.Method, target, timestamp, nonce, bodySha);
        if (!PartnerSignature.Matches(key.Secret, canonical, signature))
        {
            await PartnerProblems.UnauthorizedAsync(context, "bad-signature", "签名验证失败。");
            return;
        }

        context.Features.Set(new PartnerCaller(city, keyId, raw, bodySha));
        var entry = new LogEntry("in", city, context.Request.Method, target, keyId, timestamp, nonce, signature, bodySha, 0, "", null);
        if (HttpMethods.IsGet(context.Request.Method) || HttpMethods.IsHead(context.Request.Method))
        {
            await ReadAsync(context, entry);
        }
        else
        {
            await ChangeAsync(context, entry);
        }
    }

    // A request that may change something spends its nonce before it runs, and is logged with its response.
    private async Task ChangeAsync(HttpContext context, LogEntry entry)
    {
        if (!await nonces.TryUseAsync(entry.City, entry.Nonce!, context.RequestAborted))
        {
            await RefuseReplayAsync(context);
            return;
        }
        var original = context.Response.Body;
        using var hashing = new HashingStream(original);
        context.Response.Body = hashing;
        context.Response.Headers[VerifiedCityHeader] = entry.City;
        try
        {
            await next(context);
        }
        finally
        {
            context.Response.Body = original;
            await AppendAsync(context, entry with { Status = context.Response.StatusCode, ResponseSha256 = hashing.Sha256() }, spendsNonce: false);
        }
    }

    // A read runs first, into a buffer; its nonce is spent in the same commit as its log record, and the buffer is shown
    // only if the nonce was fresh. A replayed read gets nothing but the refusal and is not logged; the caller waits for
    // one commit.
    private async Task ReadAsync(HttpContext context, LogEntry entry)
    {
        var original = context.Response.Body;
        using var held = new MemoryStream();
        var headersBefore = context.Response.Headers.ToDictionary(h => h.Key, h => h.Value, StringComparer.OrdinalIgnoreCase);
        context.Response.Body = held;
        ExceptionDispatchInfo? failure = null;
        try
        {
            await next(context);
        }
        catch (Exception exception)
        {
            failure = ExceptionDispatchInfo.Capture(exception);
        }
        finally
        {
            context.Response.Body = original;
        }
        var logged = failure is null
            ? entry with { Status = context.Response.StatusCode, ResponseSha256 = Convert.ToHexStringLower(SHA256.HashData(held.GetBuffer().AsSpan(0, (int)held.Length))) }
            : entry with { Status = StatusCodes.Status500InternalServerError, ResponseSha256 = PartnerSignature.BodySha256([]) };
        if (await AppendAsync(context, logged, spendsNonce: true) is null)
        {
            if (!context.Response.HasStarted)
            {
                Undo(context.Response, headersBefore);
                await RefuseReplayAsync(context);
                return;
            }
        }
        failure?.Throw();
        context.Response.Headers[VerifiedCityHeader] = entry.City;
        held.Position = 0;
        await held.CopyToAsync(original, context.RequestAborted);
    }

    private async Task<MessageRecord?> AppendAsync(HttpContext context, LogEntry entry, bool spendsNonce)
    {
        entry = entry with { CorrelationId = CorrelationOf(context) };
        try
        {
            return spendsNonce
                ? await chain.AppendSpendingNonceAsync(entry, CancellationToken.None)
                : await chain.AppendAsync(entry, CancellationToken.None);
        }
        catch (Exception exception) when (exception is DbException or InvalidOperationException)
        {
            logger.LogError(exception, "Could not append {Method} {Target} from {City} to the message log", entry.Method, entry.Target, entry.City);
            throw;
        }
    }

    private static Task RefuseReplayAsync(HttpContext context) =>
        PartnerProblems.UnauthorizedAsync(context, "replayed-nonce", "该随机数已被使用；每个请求须使用新的随机数。");

    // Forgets what a read that turned out to be a replay put in the response: its status and the headers it added.
    private static void Undo(HttpResponse response, Dictionary<string, Microsoft.Extensions.Primitives.StringValues> before)
    {
        response.StatusCode = StatusCodes.Status200OK;
        foreach (var name in response.Headers.Keys.Where(k => !before.ContainsKey(k)).ToList())
        {
            response.Headers.Remove(name);
        }
        foreach (var (name, value) in before)
        {
            response.Headers[name] = value;
        }
    }

    private static string? CorrelationOf(HttpContext context) =>
        context.Response.Headers[CorrelationId.HeaderName].FirstOrDefault() ?? context.Request.Headers[CorrelationId.HeaderName].FirstOrDefault();

    private static string? BearerCity(ClaimsPrincipal user) =>
        user.Identity?.IsAuthenticated == true && user.IsInRole(PlatformRoles.PartnerCity) ? user.FindFirstValue(PlatformClaims.City) : null;

    private async Task<byte[]?> ReadBodyAsync(HttpContext context)
    {
        var limit = options.Value.MaxRequestBodyBytes;
        if (context.Request.ContentLength > limit)
        {
            await PartnerProblems.WriteAsync(context, StatusCodes.Status413PayloadTooLarge, "body-too-large", "请求体过大",
                $"请求体最多 {limit:N0} 字节，本请求声明 {context.Request.ContentLength:N0} 字节。");
            return null;
        }
        using var buffer = new MemoryStream();
        var chunk = ArrayPool<byte>.Shared.Rent(81920);
        try
        {
            int read;
            while ((read = await context.Request.Body.ReadAsync(chunk, context.RequestAborted)) > 0)
            {
                if (buffer.Length + read > limit)
                {
                    await PartnerProblems.WriteAsync(context, StatusCodes.Status413PayloadTooLarge, "body-too-large", "请求体过大",
                        $"请求体最多 {limit:N0} 字节。");
                    return null;
                }
                buffer.Write(chunk, 0, read);
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(chunk);
        }
        var body = buffer.ToArray();
        context.Request.Body = new MemoryStream(body, writable: false);
        return body;
    }

    /// <summary>Passes the response through while hashing it, for the message log.</summary>
    private sealed class HashingStream(Stream inner) : Stream
    {
        private readonly IncrementalHash _hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);

        public string Sha256() => Convert.ToHexStringLower(_hash.GetCurrentHash());

        public override bool CanRead => false;
        public override bool CanSeek => false;
        public override bool CanWrite => true;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }
        public override void Flush() => inner.Flush();
        public override Task FlushAsync(CancellationToken cancellationToken) => inner.FlushAsync(cancellationToken);
        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count)
        {
            _hash.AppendData(buffer, offset, count);
            inner.Write(buffer, offset, count);
        }

        public override async ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
        {
            _hash.AppendData(buffer.Span);
            await inner.WriteAsync(buffer, cancellationToken);
        }

        public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
            WriteAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

        protected override void Dispose(bool disposing)
        {
            if (disposing)
            {
                _hash.Dispose();
            }
            base.Dispose(disposing);
        }
    }
}

/// <summary>Removes nonces older than twice the timestamp window: a request that old is refused for its timestamp anyway.</summary>
public sealed class NoncePruner(IServiceScopeFactory scopes, IOptions<ExchangeOptions> options, TimeProvider clock, ILogger<NoncePruner> logger) : BackgroundService
{
    /// <inheritdoc />
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            await Task.Delay(TimeSpan.FromMinutes(5), clock, stoppingToken);
            try
            {
                await using var scope = scopes.CreateAsyncScope();
                var db = scope.ServiceProvider.GetRequiredService<ExchangeDbContext>();
                var before = clock.GetUtcNow() - options.Value.TimestampWindow * 2;
                var removed = await db.Nonces.Where(n => n.SeenAt < before).ExecuteDeleteAsync(stoppingToken);
                logger.LogDebug("Pruned {Count} partner nonces", removed);
            }
            catch (Exception exception) when (exception is not OperationCanceledException)
            {
                logger.LogWarning(exception, "Pruning partner nonces failed");
            }
        }
    }
}

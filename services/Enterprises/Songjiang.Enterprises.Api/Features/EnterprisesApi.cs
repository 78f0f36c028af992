using Songjiang.ServiceDefaults.Time;
using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;
using Songjiang.Enterprises.Api.Domain;
using Songjiang.Enterprises.Api.Infrastructure;
using Songjiang.ServiceDefaults.Authentication;
using Songjiang.ServiceDefaults.Paging;
using Songjiang.ServiceDefaults.Problems;

namespace Songjiang.Enterprises.Api.Features;

/// <summary>Enterprise profiles: register, read, search, update (with audit) and the timeline.</summary>
public static class EnterprisesApi
{
    /// <summary>Maps <c>/api/enterprises</c>.</summary>
    public static IEndpointRouteBuilder MapEnterprisesProfileApi(this IEndpointRouteBuilder endpoints)
    {
        var api = endpoints.MapGroup("/api/enterprises").WithTags("Enterprise profiles").RequireAuthorization(PlatformPolicies.Authenticated);
        api.MapGet("/", ListAsync).WithName("ListEnterprises").WithSummary("Lists enterprises with filters and pagination (caseworkers, admins).");
        api.MapGet("/me", MineAsync).WithName("MyEnterprise").WithSummary("The calling enterprise's own profile.");
        api.MapGet("/{uscc}", GetAsync).WithName("GetEnterprise").WithSummary("One profile; an enterprise sees only its own.");
        api.MapPost("/", RegisterAsync).WithName("RegisterEnterprise").WithSummary("Registers a profile (market regulation, admins).");
        api.MapPatch("/{uscc}", UpdateAsync).WithName("UpdateEnterprise")
            .WithSummary("Changes fields; an enterprise may change only its headcount, revenue, R&D spending and contacts.");
        api.MapGet("/{uscc}/timeline", TimelineAsync).WithName("EnterpriseTimeline").WithSummary("Everything that happened to the enterprise, newest first.");
        return endpoints;
    }

    private static async Task<Results<Ok<ResultPage<EnterpriseSummary>>, ForbidHttpResult>> ListAsync(
        [AsParameters] ListQuery query, ClaimsPrincipal user, EnterprisesDbContext db, CancellationToken cancellationToken)
    {
        if (!new Caller(user).CanList)
        {
            return TypedResults.Forbid();
        }
        var (page, pageSize) = PageRequest.Clamped(query.Page, query.PageSize);
        var enterprises = db.Enterprises.AsNoTracking();
        if (query.Stage is { } stage)
        {
            enterprises = enterprises.Where(e => e.Stage == stage);
        }
        if (!string.IsNullOrWhiteSpace(query.Location))
        {
            enterprises = enterprises.Where(e => e.Location == query.Location);
        }
        if (!string.IsNullOrWhiteSpace(query.Industry))
        {
            enterprises = enterprises.Where(e => e.IndustryCode.StartsWith(query.Industry));
        }
        if (!string.IsNullOrWhiteSpace(query.Q))
        {
            enterprises = enterprises.Where(e => e.Name.Contains(query.Q) || e.Uscc == query.Q.ToUpperInvariant());
        }
        var total = await enterprises.CountAsync(cancellationToken);
        var items = await enterprises.OrderBy(e => e.Name).ThenBy(e => e.Uscc).Skip((page - 1) * pageSize).Take(pageSize)
            .Select(e => new EnterpriseSummary(e.Uscc, e.Name, e.Location, e.IndustryCode, e.Stage, e.CreditRating))
            .ToListAsync(cancellationToken);
        return TypedResults.Ok(new ResultPage<EnterpriseSummary>(items, page, pageSize, total));
    }

    private static async Task<Ok<EnterpriseView>> MineAsync(ClaimsPrincipal user, EnterprisesDbContext db, TimeProvider clock, CancellationToken cancellationToken)
    {
        var caller = new Caller(user);
        if (!caller.IsEnterprise)
        {
            throw new NotFoundException("只有企业账号才有本企业的档案。");
        }
        return TypedResults.Ok(EnterpriseView.Of(await LoadReadableAsync(db, caller, caller.Uscc!, cancellationToken), ChinaTime.Today(clock)));
    }

    private static async Task<Ok<EnterpriseView>> GetAsync(string uscc, ClaimsPrincipal user, EnterprisesDbContext db, TimeProvider clock, CancellationToken cancellationToken) =>
        TypedResults.Ok(EnterpriseView.Of(await LoadReadableAsync(db, new Caller(user), uscc, cancellationToken), ChinaTime.Today(clock)));

    private static async Task<Results<Created<EnterpriseView>, ForbidHttpResult>> RegisterAsync(
        RegisterEnterpriseRequest request, ClaimsPrincipal user, EnterprisesDbContext db, ProfileJournal journal,
        TimeProvider clock, CancellationToken cancellationToken)
    {
        var caller = new Caller(user);
        if (!caller.CanRegister)
        {
            return TypedResults.Forbid();
        }
        var today = ChinaTime.Today(clock);
        var check = new EnterpriseValidation();
        var uscc = check.Uscc(request.Uscc);
        var name = check.Text("name", request.Name, 200);
        var representative = check.Text("legalRepresentative", request.LegalRepresentative, 100);
        var address = check.Text("registeredAddress", request.RegisteredAddress, 300);
        var location = check.Text("location", request.Location, 20);
        var industry = check.Text("industryCode", request.IndustryCode, 5);
        check.Location(location);
        check.IndustryCode(industry);
        check.NotNegative("registeredCapital", request.RegisteredCapital);
        check.NotNegative("annualRevenue", request.AnnualRevenue);
        check.NotNegative("rdSpending", request.RdSpending);
        check.Employees(request.Employees);
        check.FoundedOn(request.FoundedOn, today);
        check.Phone(request.ContactPhone);
        check.Email(request.ContactEmail);
        if (request.FoundedOn is null)
        {
            check.Add("foundedOn", "必填。");
        }
        check.ThrowIfInvalid();

        if (await db.Enterprises.AnyAsync(e => e.Uscc == uscc, cancellationToken))
        {
            throw new ConflictException($"统一社会信用代码为 {uscc} 的企业已经登记。");
        }
        var now = clock.GetUtcNow();
        var enterprise = new Enterprise
        {
            Uscc = uscc!, Name = name!, LegalRepresentative = representative!, RegisteredAddress = address!,
            Location = location!, IndustryCode = industry!, RegisteredCapital = request.RegisteredCapital ?? 0,
            FoundedOn = request.FoundedOn!.Value, Employees = request.Employees ?? 0, AnnualRevenue = request.AnnualRevenue ?? 0,
            RdSpending = request.RdSpending ?? 0, IsListed = request.IsListed ?? false, ContactPhone = request.ContactPhone,
            ContactEmail = request.ContactEmail, Stage = LifecycleStage.Operating, CreatedAt = now, UpdatedAt = now,
        };
        db.Enterprises.Add(enterprise);
        journal.Record(enterprise, caller.Id, "registered", $"{enterprise.Name}登记入库。", publishedFields: [], actorName: caller.Name);
        await db.SaveChangesAsync(cancellationToken);
        return TypedResults.Created($"/api/enterprises/{enterprise.Uscc}", EnterpriseView.Of(enterprise, today));
    }

    private static async Task<Ok<EnterpriseView>> UpdateAsync(
        string uscc, UpdateEnterpriseRequest request, [FromHeader(Name = "If-Match")] string? ifMatch,
        ClaimsPrincipal user, EnterprisesDbContext db, ProfileJournal journal, TimeProvider clock, CancellationToken cancellationToken)
    {
        var caller = new Caller(user);
        var enterprise = await LoadReadableAsync(db, caller, uscc, cancellationToken, tracked: true);
        if (enterprise.Stage == LifecycleStage.Deregistered)
        {
            throw new ConflictException($"{enterprise.Name}已注销，企业档案不能再修改。");
        }
        if (ifMatch is not null && ifMatch.Trim('"') != enterprise.Version.ToString("N"))
        {
            throw new ConflictException("企业档案在您读取之后已被修改，请刷新后重新修改。");
        }

        var today = ChinaTime.Today(clock);
        var check = new EnterpriseValidation();
        check.Text("name", request.Name, 200, required: false);
        check.Text("legalRepresentative", request.LegalRepresentative, 100, required: false);
        check.Text("registeredAddress", request.RegisteredAddress, 300, required: false);
        check.Location(request.Location);
        check.IndustryCode(request.IndustryCode);
        check.NotNegative("registeredCapital", request.RegisteredCapital);
        check.NotNegative("annualRevenue", request.AnnualRevenue);
        check.NotNegative("rdSpending", request.RdSpending);
        check.Employees(request.Employees);
        check.FoundedOn(request.FoundedOn, today);
        check.Phone(request.ContactPhone);
        check.Email(request.ContactEmail);
        check.ThrowIfInvalid();

        var changes = new ProfileChanges(enterprise)
            .Set("name", request.Name?.Trim(), e => e.Name, (e, v) => e.Name = (string)v)
            .Set("legalRepresentative", request.LegalRepresentative?.Trim(), e => e.LegalRepresentative, (e, v) => e.LegalRepresentative = (string)v)
            .Set("registeredAddress", request.RegisteredAddress?.Trim(), e => e.RegisteredAddress, (e, v) => e.RegisteredAddress = (string)v)
            .Set("location", request.Location, e => e.Location, (e, v) => e.Location = (string)v)
            .Set("industryCode", request.IndustryCode, e => e.IndustryCode, (e, v) => e.IndustryCode = (string)v)
            .Set("registeredCapital", request.RegisteredCapital, e => e.RegisteredCapital, (e, v) => e.RegisteredCapital = (decimal)v)
            .Set("foundedOn", request.FoundedOn, e => e.FoundedOn, (e, v) => e.FoundedOn = (DateOnly)v)
            .Set("employees", request.Employees, e => e.Employees, (e, v) => e.Employees = (int)v)
            .Set("annualRevenue", request.AnnualRevenue, e => e.AnnualRevenue, (e, v) => e.AnnualRevenue = (decimal)v)
            .Set("rdSpending", request.RdSpending, e => e.RdSpending, (e, v) => e.RdSpending = (decimal)v)
            .Set("isListed", request.IsListed, e => e.IsListed, (e, v) => e.IsListed = (bool)v)
            .Set("contactPhone", request.ContactPhone, e => e.ContactPhone, (e, v) => e.ContactPhone = (string)v)
            .Set("contactEmail", request.ContactEmail, e => e.ContactEmail, (e, v) => e.ContactEmail = (string)v);

        var forbidden = caller.ForbiddenFields(enterprise, changes.Requested);
        if (forbidden.Count > 0)
        {
            throw new ForbiddenException($"您不能修改{ProfileJournal.FieldNames(forbidden)}：登记事项须通过变更登记修改。");
        }
        if (changes.Changed.Count > 0)
        {
            journal.Record(enterprise, caller.Id, "profile-updated", $"修改了{ProfileJournal.FieldNames(changes.Changed.Keys)}。",
                publishedFields: changes.Changed.Keys, changes: changes.ToJson(), actorName: caller.Name);
            try
            {
                await db.SaveChangesAsync(cancellationToken);
            }
            catch (DbUpdateConcurrencyException)
            {
                throw new ConflictException("保存时企业档案已被他人修改，请刷新后重新修改。");
            }
        }
        return TypedResults.Ok(EnterpriseView.Of(enterprise, today));
    }

    private static async Task<Ok<List<TimelineEntry>>> TimelineAsync(
        string uscc, ClaimsPrincipal user, EnterprisesDbContext db, CancellationToken cancellationToken)
    {
        var enterprise = await LoadReadableAsync(db, new Caller(user), uscc, cancellationToken);
        var entries = await db.Timeline.AsNoTracking().Where(t => t.Uscc == enterprise.Uscc)
            .OrderByDescending(t => t.At).Take(500).ToListAsync(cancellationToken);
        return TypedResults.Ok(entries);
    }

    /// <summary>Loads a profile the caller may read; one it may not is reported as missing, so its existence stays private.</summary>
    internal static async Task<Enterprise> LoadReadableAsync(
        EnterprisesDbContext db, Caller caller, string uscc, CancellationToken cancellationToken, bool tracked = false)
    {
        var key = uscc.Trim().ToUpperInvariant();
        var query = tracked ? db.Enterprises : db.Enterprises.AsNoTracking();
        var enterprise = caller.CanRead(key) ? await query.SingleOrDefaultAsync(e => e.Uscc == key, cancellationToken) : null;
        return enterprise ?? throw new NotFoundException($"没有您可以查看的企业 {key}。");
    }


    /// <summary>Filters and paging of the list.</summary>
    public sealed record ListQuery(LifecycleStage? Stage, string? Location, string? Industry, string? Q, int? Page, int? PageSize);
}

using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Songjiang.Cases.Api.Domain;
using Songjiang.Cases.Api.Infrastructure;
using Songjiang.ServiceDefaults.Authentication;
using Songjiang.ServiceDefaults.Paging;
using Songjiang.ServiceDefaults.Problems;

namespace Songjiang.Cases.Api.Features;

public static partial class ApplicationsApi
{
    private static readonly Dictionary<string, ApplicationStatus> StatusesByName =
        Enum.GetValues<ApplicationStatus>().ToDictionary(ApplicationSummary.StatusName, StringComparer.Ordinal);

    /// <summary>Filters of the application list.</summary>
    /// <param name="Status">One status, or several separated by commas (e.g. <c>submitted,correction-requested</c>).</param>
    /// <param name="Matter">A matter code.</param>
    /// <param name="Bundle">A bundle code.</param>
    /// <param name="Applicant">The applicant's USCC (caseworkers and administrators).</param>
    /// <param name="Q">The start of a number, or part of the applicant's or the matter's name.</param>
    /// <param name="Page">Page, from 1.</param>
    /// <param name="PageSize">Page size, 1–100.</param>
    public sealed record ListQuery(string? Status, string? Matter, string? Bundle, string? Applicant, string? Q, int? Page, int? PageSize);

    // The columns a list shows and its applicant asks need: not the form, the materials or the results of every row.
    private sealed record ListedApplication(
        Guid Id, string Number, ApplicationKind Kind, string? MatterCode, string? BundleCode, string Name, string Department, string? ApplicantUscc,
        string ApplicantName, Channel Channel, ApplicationStatus Status, string? Outcome, DateTimeOffset SubmittedAt, DateTimeOffset? CompletedAt,
        DateTimeOffset? StatutoryDueAt, bool ClockPaused, string? PartnerCity, string? Reason, List<string> CorrectionMaterials, int? Rating,
        string? HandledByCity)
    {
        public ApplicationSummary Summary(ApplicantAsk? ask) => new(
            Number, Kind.ToString().ToLowerInvariant(), MatterCode, BundleCode, Name, Department, ApplicantUscc, ApplicantName,
            CaseFlow.CaseEvents.ChannelName(Channel), ApplicationSummary.StatusName(Status), Outcome, SubmittedAt, CompletedAt,
            StatutoryDueAt, ClockPaused, PartnerCity) { Ask = ask };
    }

    private sealed record AskOwner(
        Guid Id, Guid? ParentId, string Number, ApplicationStatus Status, string? Reason, List<string> CorrectionMaterials, string? HandledByCity = null);

    private static async Task<Ok<ResultPage<ApplicationSummary>>> ListAsync(
        [AsParameters] ListQuery query, ClaimsPrincipal user, CasesDbContext db, CancellationToken cancellationToken)
    {
        var caller = new Caller(user);
        var page = PageRequest.Of(query.Page, query.PageSize);
        IQueryable<Application> applications = db.Applications.AsNoTracking();
        if (caller.IsEnterprise)
        {
            applications = applications.Where(a => a.ApplicantUscc == caller.Uscc && a.ParentId == null);
        }
        else if (caller.IsCaseworker)
        {
            applications = applications.Where(a => a.Department == caller.Department && a.Kind != ApplicationKind.Bundle);
        }
        else if (caller.IsPartnerCity)
        {
            applications = applications.Where(a => a.SubmittedBy == caller.Id && a.ParentId == null);
        }
        else if (!caller.IsAdmin)
        {
            throw new ForbiddenException("办件列表供申请人、部门工作人员和平台管理员查看。");
        }

        if (query.Status is not null)
        {
            var statuses = new List<ApplicationStatus>();
            foreach (var name in query.Status.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
            {
                statuses.Add(StatusesByName.TryGetValue(name, out var status)
                    ? status
                    : throw new ValidationFailedException("status", "状态须为 " + string.Join("、", StatusesByName.Keys) + " 中的一个或多个，多个以逗号分隔。"));
            }
            applications = statuses.Count == 1
                ? applications.Where(a => a.Status == statuses[0])
                : applications.Where(a => statuses.Contains(a.Status));
        }
        if (!string.IsNullOrWhiteSpace(query.Matter))
        {
            applications = applications.Where(a => a.MatterCode == query.Matter);
        }
        if (!string.IsNullOrWhiteSpace(query.Bundle))
        {
            applications = applications.Where(a => a.BundleCode == query.Bundle);
        }
        if (!string.IsNullOrWhiteSpace(query.Applicant) && !caller.IsEnterprise)
        {
            applications = applications.Where(a => a.ApplicantUscc == query.Applicant.ToUpperInvariant());
        }
        if (!string.IsNullOrWhiteSpace(query.Q))
        {
            applications = applications.Where(a => a.Number.StartsWith(query.Q) || a.ApplicantName.Contains(query.Q) || a.Name.Contains(query.Q));
        }
        var total = await applications.CountAsync(cancellationToken);
        var rows = await applications.OrderByDescending(a => a.SubmittedAt).ThenByDescending(a => a.Number)
            .Skip(page.Skip).Take(page.PageSize)
            .Select(a => new ListedApplication(
                a.Id, a.Number, a.Kind, a.MatterCode, a.BundleCode, a.Name, a.Department, a.ApplicantUscc, a.ApplicantName, a.Channel, a.Status,
                a.Outcome, a.SubmittedAt, a.CompletedAt, a.StatutoryDueAt, a.ClockPaused, a.PartnerCity, a.Reason, a.CorrectionMaterials, a.Rating,
                a.HandledByCity))
            .ToListAsync(cancellationToken);
        var asks = await AsksAsync(db, rows, cancellationToken);
        return TypedResults.Ok(new ResultPage<ApplicationSummary>(
            [.. rows.Select(r => r.Summary(asks.GetValueOrDefault(r.Id) ?? RatingAsk(r.Number, r.Status, r.Rating, r.Kind)))], page.Page, page.PageSize, total));
    }

    // What each listed application asks of its applicant, as its full view says, for the whole page in three queries at
    // most: the open applicant tasks of the page's applications and their bundles' matters, and the names of the
    // materials a correction asks for.
    private static async Task<Dictionary<Guid, ApplicantAsk>> AsksAsync(CasesDbContext db, List<ListedApplication> rows, CancellationToken cancellationToken)
    {
        var owners = rows.ToDictionary(r => r.Id, r => new AskOwner(r.Id, null, r.Number, r.Status, r.Reason, r.CorrectionMaterials, r.HandledByCity));
        var bundles = rows.Where(r => r.Kind == ApplicationKind.Bundle).Select(r => r.Id).ToList();
        if (bundles.Count > 0)
        {
            var children = await db.Applications.AsNoTracking().Where(c => c.ParentId != null && bundles.Contains(c.ParentId.Value))
                .Select(c => new AskOwner(c.Id, c.ParentId, c.Number, c.Status, c.Reason, c.CorrectionMaterials))
                .ToListAsync(cancellationToken);
            foreach (var child in children)
            {
                owners[child.Id] = child;
            }
        }
        var family = owners.Keys.ToList();
        var tasks = await db.Tasks.AsNoTracking()
            .Where(t => family.Contains(t.ApplicationId) && t.Department == Caller.ApplicantDepartment && t.Status == CaseTaskStatus.Open)
            .OrderBy(t => t.OpenedAt).ThenBy(t => t.Id)
            .Select(t => new { t.ApplicationId, t.DueAt })
            .ToListAsync(cancellationToken);
        // The application's own first open task, or its matters' (a bundle), oldest first — as the full view picks it.
        var first = new Dictionary<Guid, (AskOwner Owner, DateTimeOffset? DueAt)>();
        foreach (var task in tasks)
        {
            var owner = owners[task.ApplicationId];
            first.TryAdd(owner.ParentId ?? owner.Id, (owner, task.DueAt));
        }
        // Handled by another city: its 补正 request has no task here; the applicant answers it all the same.
        foreach (var owner in owners.Values.Where(o => o.HandledByCity is not null && o.Status == ApplicationStatus.CorrectionRequested))
        {
            first.TryAdd(owner.Id, (owner, null));
        }
        var correcting = first.Values.Where(f => f.Owner.Status != ApplicationStatus.AwaitingConfirmation && f.Owner.CorrectionMaterials.Count > 0)
            .Select(f => f.Owner.Id).ToList();
        var names = correcting.Count == 0
            ? []
            : (await db.Applications.AsNoTracking().Where(a => correcting.Contains(a.Id))
                .Select(a => new { a.Id, Materials = a.Materials.Select(m => new { m.Code, m.Name }).ToList() })
                .ToListAsync(cancellationToken))
                .ToDictionary(a => a.Id, a => (IReadOnlyDictionary<string, string>)a.Materials.DistinctBy(m => m.Code)
                    .ToDictionary(m => m.Code, m => m.Name, StringComparer.Ordinal));
        return first.ToDictionary(f => f.Key, f => AskOf(f.Value.Owner.Number, f.Value.Owner.Status, f.Value.Owner.Reason, f.Value.Owner.CorrectionMaterials,
            f.Value.DueAt, names.GetValueOrDefault(f.Value.Owner.Id) ?? new Dictionary<string, string>()));
    }
}

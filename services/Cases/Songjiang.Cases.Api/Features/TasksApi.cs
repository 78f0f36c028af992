using System.Security.Claims;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Songjiang.Cases.Api.Domain;
using Songjiang.Cases.Api.Infrastructure;
using Songjiang.Cases.Api.IntegrationEvents.Events;
using Songjiang.Cases.Api.CaseFlow;
using Songjiang.EventBus;
using Songjiang.ServiceDefaults.Authentication;
using Songjiang.ServiceDefaults.Paging;
using Songjiang.ServiceDefaults.Problems;
using Songjiang.Workflows;
using Songjiang.Workflows.Calendar;

namespace Songjiang.Cases.Api.Features;

/// <summary>
/// Caseworkers' work lists: the open tasks of their department for their roles, claimed before they are completed,
/// released, reassigned by the department's approver. Another department's task does not exist for them (404).
/// </summary>
public static class TasksApi
{
    private static readonly HashSet<string> NeedsOpinion = new(StringComparer.Ordinal) { "reject", "correct", "broken" };

    /// <summary>Maps <c>/api/cases/tasks</c>.</summary>
    public static IEndpointRouteBuilder MapTasksApi(this IEndpointRouteBuilder endpoints)
    {
        var api = endpoints.MapGroup("/api/cases/tasks").WithTags("Tasks").RequireAuthorization(PlatformPolicies.Authenticated);
        api.MapGet("/", InboxAsync).WithName("TaskInbox")
            .WithSummary("The caller's department's tasks for the caller's roles, with filters (matter, status, due soon, overdue, claimed) and pagination.");
        api.MapGet("/{id:guid}", GetAsync).WithName("GetTask").WithSummary("One task of the caller's department.");
        api.MapPost("/{id:guid}/claim", ClaimAsync).WithName("ClaimTask").WithSummary("Claims a task; a task someone else claimed is a 409.");
        api.MapPost("/{id:guid}/release", ReleaseAsync).WithName("ReleaseTask").WithSummary("Gives a claimed task back to the department's list.");
        api.MapPost("/{id:guid}/complete", CompleteAsync).WithName("CompleteTask")
            .WithSummary("Completes a task the caller has claimed, with an action and an opinion.");
        api.MapPost("/{id:guid}/reassign", ReassignAsync).WithName("ReassignTask")
            .WithSummary("Hands a task to another caseworker of the department (the department's approver).");
        return endpoints;
    }

    /// <summary>Filters of the work list.</summary>
    /// <param name="Status"><c>open</c> (default), <c>completed</c>, <c>cancelled</c> or <c>all</c>.</param>
    /// <param name="Matter">A matter code.</param>
    /// <param name="Claimed"><c>me</c> (mine), <c>none</c> (unclaimed) or <c>any</c>.</param>
    /// <param name="DueSoon">Open tasks due by the end of the next working day.</param>
    /// <param name="Overdue">Open tasks past their deadline.</param>
    /// <param name="Department">Administrators only: the department to list.</param>
    /// <param name="Page">Page, from 1.</param>
    /// <param name="PageSize">Page size, 1–100.</param>
    public sealed record InboxQuery(
        string? Status, string? Matter, string? Claimed, bool? DueSoon, bool? Overdue, string? Department, int? Page, int? PageSize);

    private static async Task<Ok<ResultPage<TaskView>>> InboxAsync(
        [AsParameters] InboxQuery query, ClaimsPrincipal user, CasesDbContext db, TimeProvider clock, CancellationToken cancellationToken)
    {
        var caller = new Caller(user);
        var page = PageRequest.Of(query.Page, query.PageSize);
        var now = clock.GetUtcNow();
        IQueryable<CaseTask> tasks = db.Tasks.AsNoTracking();
        if (caller.IsCaseworker)
        {
            var roles = caller.CaseworkerRoles;
            bool clerk = roles.Contains(PlatformRoles.WindowClerk), reviewer = roles.Contains(PlatformRoles.Reviewer), approver = roles.Contains(PlatformRoles.Approver);
            var me = caller.Id;
            // The department's tasks for the caller's roles, and those named for the caller (加签 names a caseworker of
            // the task's department): the tasks the caller may open. The department comes first so that the work-list
            // index serves the filter, the count and the order.
            tasks = tasks.Where(t => t.Department == caller.Department
                && (t.AssignedTo == me
                    || (clerk && t.Roles.Contains(PlatformRoles.WindowClerk))
                    || (reviewer && t.Roles.Contains(PlatformRoles.Reviewer))
                    || (approver && t.Roles.Contains(PlatformRoles.Approver))));
        }
        else if (caller.IsAdmin)
        {
            tasks = string.IsNullOrWhiteSpace(query.Department)
                ? tasks.Where(t => t.Department != Caller.ApplicantDepartment)
                : tasks.Where(t => t.Department == query.Department);
        }
        else
        {
            throw new ForbiddenException("Work lists belong to caseworkers.");
        }

        tasks = (query.Status ?? "open") switch
        {
            "open" => tasks.Where(t => t.Status == CaseTaskStatus.Open),
            "completed" => tasks.Where(t => t.Status == CaseTaskStatus.Completed),
            "cancelled" => tasks.Where(t => t.Status == CaseTaskStatus.Cancelled),
            "all" => tasks,
            _ => throw new ValidationFailedException("status", "One of open, completed, cancelled, all."),
        };
        tasks = (query.Claimed ?? "any") switch
        {
            "me" => tasks.Where(t => t.ClaimedBy == caller.Id),
            "none" => tasks.Where(t => t.ClaimedBy == null),
            "any" => tasks,
            _ => throw new ValidationFailedException("claimed", "One of me, none, any."),
        };
        if (!string.IsNullOrWhiteSpace(query.Matter))
        {
            tasks = tasks.Where(t => t.MatterCode == query.Matter);
        }
        if (query.Overdue == true)
        {
            tasks = tasks.Where(t => t.Status == CaseTaskStatus.Open && t.DueAt < now);
        }
        if (query.DueSoon == true)
        {
            var soon = WorkingDayCalendar.China.DueAt(now, 1);
            tasks = tasks.Where(t => t.Status == CaseTaskStatus.Open && t.DueAt >= now && t.DueAt <= soon);
        }

        // Earliest deadline first, tasks without a deadline last. Read as two ranges of the work-list index (with a
        // deadline, in deadline order; then those without) so that the database reads one page of rows, not every open
        // task of the department to sort them; the counts read only the index.
        var total = await tasks.CountAsync(cancellationToken);
        var undated = tasks.Where(t => t.DueAt == null);
        var dated = total - await undated.CountAsync(cancellationToken);
        var items = page.Skip < dated
            ? await tasks.Where(t => t.DueAt != null).OrderBy(t => t.DueAt).ThenBy(t => t.OpenedAt).ThenBy(t => t.Id)
                .Skip(page.Skip).Take(page.PageSize).ToListAsync(cancellationToken)
            : [];
        if (items.Count < page.PageSize && total > dated)
        {
            items.AddRange(await undated.OrderBy(t => t.OpenedAt).ThenBy(t => t.Id)
                .Skip(Math.Max(0, page.Skip - dated)).Take(page.PageSize - items.Count).ToListAsync(cancellationToken));
        }
        return TypedResults.Ok(new ResultPage<TaskView>([.. items.Select(t => TaskView.Of(t, now))], page.Page, page.PageSize, total));
    }

    private static async Task<Ok<TaskView>> GetAsync(Guid id, ClaimsPrincipal user, CasesDbContext db, TimeProvider clock, CancellationToken cancellationToken) =>
        TypedResults.Ok(TaskView.Of(await LoadAsync(db, new Caller(user), id, cancellationToken), clock.GetUtcNow()));

    private static async Task<Ok<TaskView>> ClaimAsync(Guid id, ClaimsPrincipal user, CasesDbContext db, TimeProvider clock, CancellationToken cancellationToken)
    {
        var caller = new Caller(user);
        var task = await LoadAsync(db, caller, id, cancellationToken);
        EnsureOpen(task);
        EnsureAssignee(caller, task);
        EnsureRole(caller, task);
        if (task.ClaimedBy is { } holder && holder != caller.Id)
        {
            throw new ConflictException($"The task is claimed by {task.ClaimedByName ?? holder}.");
        }
        if (task.ClaimedBy is null)
        {
            task.ClaimedBy = caller.Id;
            task.ClaimedByName = caller.Name;
            task.ClaimedAt = clock.GetUtcNow();
            TaskJournal.Record(db, task, TaskEventKinds.Claimed, caller.Id, caller.Name, null, task.ClaimedAt.Value);
            await SaveAsync(db, task, cancellationToken);
        }
        return TypedResults.Ok(TaskView.Of(task, clock.GetUtcNow()));
    }

    private static async Task<Ok<TaskView>> ReleaseAsync(Guid id, ClaimsPrincipal user, CasesDbContext db, TimeProvider clock, CancellationToken cancellationToken)
    {
        var caller = new Caller(user);
        var task = await LoadAsync(db, caller, id, cancellationToken);
        EnsureOpen(task);
        if (task.ClaimedBy is null)
        {
            throw new ConflictException("The task is not claimed.");
        }
        if (task.ClaimedBy != caller.Id && !caller.IsApprover && !caller.IsAdmin)
        {
            throw new ForbiddenException("Only the caseworker who claimed the task, or the department's approver, releases it.");
        }
        EnsureNotNamed(task);
        TaskJournal.Record(db, task, TaskEventKinds.Released, caller.Id, caller.Name,
            task.ClaimedBy == caller.Id ? null : $"收回 {task.ClaimedByName ?? task.ClaimedBy} 的签收", clock.GetUtcNow());
        task.ClaimedBy = null;
        task.ClaimedByName = null;
        task.ClaimedAt = null;
        await SaveAsync(db, task, cancellationToken);
        return TypedResults.Ok(TaskView.Of(task, clock.GetUtcNow()));
    }

    private static async Task<Ok<TaskView>> ReassignAsync(
        Guid id, ReassignTaskRequest request, ClaimsPrincipal user, CasesDbContext db, IOutbox<CasesDbContext> outbox, StaffDirectory directory,
        TimeProvider clock, CancellationToken cancellationToken)
    {
        var caller = new Caller(user);
        var task = await LoadAsync(db, caller, id, cancellationToken);
        if (!caller.IsApprover && !caller.IsAdmin)
        {
            throw new ForbiddenException("Tasks are reassigned by the department's approver.");
        }
        EnsureOpen(task);
        if (string.IsNullOrWhiteSpace(request.UserId) || request.UserId.Length > 128)
        {
            throw new ValidationFailedException("userId", "The caseworker to hand the task to is required.");
        }
        EnsureNotNamed(task);
        // Only to a real caseworker of the task's department who holds one of its roles; the name stored is the directory's.
        var member = await directory.FindAsync(request.UserId.Trim(), cancellationToken)
            ?? throw new ValidationFailedException("userId", $"没有启用中的账号“{request.UserId.Trim()}”。");
        if (!member.IsCaseworkerOf(task.Department) || !member.Roles.Intersect(task.RoleList).Any())
        {
            throw new ValidationFailedException("userId", $"“{member.DisplayName}”不是本部门可办理该环节的工作人员，不能转交。");
        }
        task.ClaimedBy = member.Id;
        task.ClaimedByName = member.DisplayName;
        task.ClaimedAt = clock.GetUtcNow();
        TaskJournal.Record(db, task, TaskEventKinds.Reassigned, caller.Id, caller.Name, $"改派给 {task.ClaimedByName ?? task.ClaimedBy}", task.ClaimedAt.Value);
        outbox.Add(new TaskAssignedIntegrationEvent(
            task.Id, task.ApplicationId, task.ApplicationNumber, task.ApplicationName, task.ApplicantUscc, task.Title, task.Department,
            task.ClaimedBy, task.ClaimedByName, task.DueAt));
        await SaveAsync(db, task, cancellationToken);
        return TypedResults.Ok(TaskView.Of(task, clock.GetUtcNow()));
    }

    private static async Task<Ok<TaskView>> CompleteAsync(
        Guid id, CompleteTaskRequest request, ClaimsPrincipal user, CasesDbContext db, IWorkflowRuntime workflows, TimeProvider clock,
        CancellationToken cancellationToken)
    {
        var caller = new Caller(user);
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var task = await LoadAsync(db, caller, id, cancellationToken);
        EnsureOpen(task);
        EnsureAssignee(caller, task);
        EnsureRole(caller, task);
        if (task.ClaimedBy != caller.Id)
        {
            throw new ConflictException(task.ClaimedBy is null
                ? "Claim the task before completing it."
                : $"The task is claimed by {task.ClaimedByName ?? task.ClaimedBy}.");
        }

        var errors = new Dictionary<string, string[]>();
        if (request.Action is null || !task.CaseworkerActions().Contains(request.Action))
        {
            errors["action"] = [$"One of {string.Join(", ", task.CaseworkerActions())}."];
        }
        if (request.Action is not null && NeedsOpinion.Contains(request.Action) && string.IsNullOrWhiteSpace(request.Opinion))
        {
            errors["opinion"] = [$"Give the reason the applicant will read when you {request.Action}."];
        }
        if (request.Opinion is { Length: > 2000 })
        {
            errors["opinion"] = ["At most 2000 characters."];
        }
        var materials = request.Materials ?? [];
        if (request.Action == "correct")
        {
            var application = await db.Applications.AsNoTracking().FirstAsync(a => a.Id == task.ApplicationId, cancellationToken);
            var unknown = materials.Where(m => application.Materials.All(x => x.Code != m)).ToList();
            if (materials.Count == 0 || unknown.Count > 0)
            {
                errors["materials"] = [materials.Count == 0
                    ? "Name the materials the applicant must correct: " + string.Join(", ", application.Materials.Select(m => m.Code)) + "."
                    : $"Not materials of this application: {string.Join(", ", unknown)}."];
            }
        }
        if (errors.Count > 0)
        {
            throw new ValidationFailedException(errors);
        }

        var payload = new JsonObject { ["actorName"] = caller.Name };
        if (!string.IsNullOrWhiteSpace(request.Opinion))
        {
            payload["opinion"] = request.Opinion.Trim();
        }
        if (request.Action == "correct")
        {
            payload["materials"] = new JsonArray([.. materials.Distinct().Select(m => (JsonNode)m)]);
        }
        var result = await workflows.Using(db).CompleteTaskAsync(
            new CompleteTaskCommand(task.Id, caller.AsCaseworker(), request.Action!, payload), cancellationToken);
        if (!result.Applied)
        {
            throw new ConflictException($"The task was already completed ({result.IgnoredReason}).");
        }
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return TypedResults.Ok(TaskView.Of(task, clock.GetUtcNow()));
    }

    internal static async Task<CaseTask> LoadAsync(CasesDbContext db, Caller caller, Guid id, CancellationToken cancellationToken)
    {
        var task = await db.Tasks.FirstOrDefaultAsync(t => t.Id == id, cancellationToken);
        var visible = task is not null && task.Department != Caller.ApplicantDepartment
            && (caller.IsAdmin || (caller.IsCaseworker && task.Department == caller.Department));
        return visible ? task! : throw new NotFoundException($"There is no task {id} in your work list.");
    }

    internal static void EnsureOpen(CaseTask task)
    {
        if (task.Status != CaseTaskStatus.Open)
        {
            throw new ConflictException($"The task is {task.Status.ToString().ToLowerInvariant()}.");
        }
    }

    /// <summary>A task named for one caseworker (加签) is theirs alone.</summary>
    internal static void EnsureAssignee(Caller caller, CaseTask task)
    {
        if (task.AssignedTo is { } named && named != caller.Id)
        {
            throw new ForbiddenException($"该任务指定由 {task.ClaimedByName ?? named} 办理。");
        }
    }

    private static void EnsureNotNamed(CaseTask task)
    {
        if (task.AssignedTo is not null)
        {
            throw new ConflictException($"该任务指定由 {task.ClaimedByName ?? task.AssignedTo} 办理，不能退回待办池或改派。");
        }
    }

    internal static void EnsureRole(Caller caller, CaseTask task)
    {
        if (task.AssignedTo == caller.Id)
        {
            return;
        }
        if (!caller.CaseworkerRoles.Intersect(task.RoleList).Any())
        {
            throw new ForbiddenException($"This step is for the {string.Join(" or ", task.RoleList)} role.");
        }
    }

    private static async Task SaveAsync(CasesDbContext db, CaseTask task, CancellationToken cancellationToken)
    {
        task.Version++;
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateConcurrencyException)
        {
            throw new ConflictException("Someone else changed the task at the same moment; reload it.");
        }
    }
}

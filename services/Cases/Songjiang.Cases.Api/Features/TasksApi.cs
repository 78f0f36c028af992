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
            throw new ForbiddenException("待办列表仅供部门工作人员和平台管理员查看。");
        }

        tasks = (query.Status ?? "open") switch
        {
            "open" => tasks.Where(t => t.Status == CaseTaskStatus.Open),
            "completed" => tasks.Where(t => t.Status == CaseTaskStatus.Completed),
            "cancelled" => tasks.Where(t => t.Status == CaseTaskStatus.Cancelled),
            "all" => tasks,
            _ => throw new ValidationFailedException("status", "状态须为 open（待办）、completed（已办理）、cancelled（已撤销）或 all（全部）。"),
        };
        tasks = (query.Claimed ?? "any") switch
        {
            "me" => tasks.Where(t => t.ClaimedBy == caller.Id),
            "none" => tasks.Where(t => t.ClaimedBy == null),
            "any" => tasks,
            _ => throw new ValidationFailedException("claimed", "签收情况须为 me（本人签收）、none（未签收）或 any（不限）。"),
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
            throw new ConflictException($"该任务已由 {task.ClaimedByName ?? holder} 签收。");
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
            throw new ConflictException("该任务尚未签收。");
        }
        if (task.ClaimedBy != caller.Id && !caller.IsApprover && !caller.IsAdmin)
        {
            throw new ForbiddenException("只有签收该任务的工作人员或本部门审批人员可以将其退回待办池。");
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
            throw new ForbiddenException("只有本部门审批人员可以改派任务。");
        }
        EnsureOpen(task);
        if (string.IsNullOrWhiteSpace(request.UserId) || request.UserId.Length > 128)
        {
            throw new ValidationFailedException("userId", "请指定接手该任务的工作人员。");
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
                ? "请先签收任务，再办理。"
                : $"该任务已由 {task.ClaimedByName ?? task.ClaimedBy} 签收。");
        }

        var errors = new Dictionary<string, string[]>();
        if (request.Action is null || !task.CaseworkerActions().Contains(request.Action))
        {
            errors["action"] = [$"可选的办理动作：{string.Join("、", task.CaseworkerActions().Select(ActionOption))}。"];
        }
        if (request.Action is not null && NeedsOpinion.Contains(request.Action) && string.IsNullOrWhiteSpace(request.Opinion))
        {
            errors["opinion"] = [$"选择“{TaskJournal.ActionName(request.Action)}”须填写意见，申请人将看到这段意见。"];
        }
        if (request.Opinion is { Length: > 2000 })
        {
            errors["opinion"] = ["意见不超过 2000 个字符。"];
        }
        var materials = request.Materials ?? [];
        if (request.Action == "correct")
        {
            var application = await db.Applications.AsNoTracking().FirstAsync(a => a.Id == task.ApplicationId, cancellationToken);
            var unknown = materials.Where(m => application.Materials.All(x => x.Code != m)).ToList();
            if (materials.Count == 0 || unknown.Count > 0)
            {
                errors["materials"] = [materials.Count == 0
                    ? "请列出申请人须补正的材料：" + string.Join("、", application.Materials.Select(m => $"{m.Code}（{m.Name}）")) + "。"
                    : $"以下不是该申请的材料：{string.Join("、", unknown)}。"];
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
            throw new ConflictException("该任务已经办理或已撤销。");
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
        return visible ? task! : throw new NotFoundException($"您的待办中没有任务 {id}。");
    }

    internal static void EnsureOpen(CaseTask task)
    {
        if (task.Status != CaseTaskStatus.Open)
        {
            throw new ConflictException(task.Status == CaseTaskStatus.Cancelled ? "该任务已撤销。" : "该任务已经办理。");
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
            throw new ForbiddenException($"该环节须由{string.Join("或", task.RoleList.Select(RoleName))}办理。");
        }
    }

    // An action as the caseworker sends it, with its Chinese name where it has one: "approve（同意）".
    private static string ActionOption(string action) =>
        TaskJournal.ActionName(action) is var name && name != action ? $"{action}（{name}）" : action;

    // Who a role is, in the words of the service hall.
    private static string RoleName(string role) => role switch
    {
        PlatformRoles.WindowClerk => "窗口受理人员",
        PlatformRoles.Reviewer => "审查人员",
        PlatformRoles.Approver => "审批人员",
        _ => role,
    };

    private static async Task SaveAsync(CasesDbContext db, CaseTask task, CancellationToken cancellationToken)
    {
        task.Version++;
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateConcurrencyException)
        {
            throw new ConflictException("该任务刚刚被他人改动，请刷新后重试。");
        }
    }
}

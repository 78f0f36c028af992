using System.Security.Claims;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Songjiang.Cases.Api.Domain;
using Songjiang.Cases.Api.Infrastructure;
using Songjiang.ServiceDefaults.Authentication;
using Songjiang.ServiceDefaults.Problems;
using Songjiang.Workflows;

namespace Songjiang.Cases.Api.Features;

/// <summary>
/// What a task's holder does besides completing it — 退回 to an earlier step, 转办 to another department, 加签 — and
/// drafts of an opinion and form. Each handover is one workflow command in the request's transaction; the work list
/// and the audit history follow from the workflow projection, as for a completion.
/// </summary>
public static class TaskHandoversApi
{
    private const int MaxDraftFormBytes = 64 * 1024;

    /// <summary>Maps the handover and draft routes under <c>/api/cases/tasks/{id}</c>.</summary>
    public static IEndpointRouteBuilder MapTaskHandoversApi(this IEndpointRouteBuilder endpoints)
    {
        var api = endpoints.MapGroup("/api/cases/tasks").WithTags("Tasks").RequireAuthorization(PlatformPolicies.Authenticated);
        api.MapPost("/{id:guid}/send-back", SendBackAsync).WithName("SendBackTask")
            .WithSummary("退回: sends the case back to an earlier step of its procedure with a reason; the statutory clock keeps running unless the procedure stops it.");
        api.MapPost("/{id:guid}/transfer", TransferAsync).WithName("TransferTask")
            .WithSummary("转办: hands the task to another department's queue, among those its step allows.");
        api.MapPost("/{id:guid}/add-signer", AddSignerAsync).WithName("AddTaskSigner")
            .WithSummary("加签: adds a named signer before (they give an opinion, then the task comes back) or after (they take the decision) the caller, for this case only.");
        api.MapGet("/{id:guid}/draft", GetDraftAsync).WithName("GetTaskDraft").WithSummary("The caller's saved draft of the task's opinion and form.");
        api.MapPut("/{id:guid}/draft", SaveDraftAsync).WithName("SaveTaskDraft")
            .WithSummary("Saves the caller's draft of the task's opinion and form, to come back to; completing the task discards it.");
        api.MapDelete("/{id:guid}/draft", DeleteDraftAsync).WithName("DeleteTaskDraft").WithSummary("Discards the caller's draft.");
        return endpoints;
    }

    private static async Task<Ok<TaskView>> SendBackAsync(
        Guid id, SendBackRequest request, ClaimsPrincipal user, CasesDbContext db, IWorkflowRuntime workflows, TimeProvider clock,
        CancellationToken cancellationToken)
    {
        var caller = new Caller(user);
        var errors = new Dictionary<string, string[]>();
        if (string.IsNullOrWhiteSpace(request.ToStep) || request.ToStep.Length > 64)
        {
            errors["toStep"] = ["请指明退回到哪个环节（环节编号，如 accept）。"];
        }
        Reason(request.Reason, "退回", errors);
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var task = await HolderAsync(db, caller, id, errors, cancellationToken);
        await RunAsync(() => workflows.Using(db).SendBackAsync(
            new SendBackCommand(task.Id, caller.AsCaseworker(), request.ToStep!.Trim(), request.Reason!.Trim()), cancellationToken));
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return TypedResults.Ok(TaskView.Of(task, clock.GetUtcNow()));
    }

    private static async Task<Ok<TaskView>> TransferAsync(
        Guid id, TransferTaskRequest request, ClaimsPrincipal user, CasesDbContext db, IWorkflowRuntime workflows, TimeProvider clock,
        CancellationToken cancellationToken)
    {
        var caller = new Caller(user);
        var errors = new Dictionary<string, string[]>();
        if (string.IsNullOrWhiteSpace(request.Department) || request.Department.Length > 64)
        {
            errors["department"] = ["请指明转办到哪个部门。"];
        }
        Reason(request.Reason, "转办", errors);
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var task = await HolderAsync(db, caller, id, errors, cancellationToken);
        await RunAsync(() => workflows.Using(db).TransferTaskAsync(
            new TransferTaskCommand(task.Id, caller.AsCaseworker(), request.Department!.Trim(), request.Reason!.Trim()), cancellationToken));
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return TypedResults.Ok(TaskView.Of(task, clock.GetUtcNow()));
    }

    private static async Task<Ok<TaskView>> AddSignerAsync(
        Guid id, AddSignerRequest request, ClaimsPrincipal user, CasesDbContext db, IWorkflowRuntime workflows, StaffDirectory directory,
        TimeProvider clock, CancellationToken cancellationToken)
    {
        var caller = new Caller(user);
        var errors = new Dictionary<string, string[]>();
        SignerPosition? position = request.Position switch
        {
            "before" => SignerPosition.Before,
            "after" => SignerPosition.After,
            _ => null,
        };
        if (position is null)
        {
            errors["position"] = ["before（前加签）或 after（后加签）。"];
        }
        if (string.IsNullOrWhiteSpace(request.UserId) || request.UserId.Length > 128)
        {
            errors["userId"] = ["请指明加签人的用户名。"];
        }
        if (request.Name is { Length: > 100 })
        {
            errors["name"] = ["姓名至多 100 个字。"];
        }
        if (request.Department is { Length: > 64 })
        {
            errors["department"] = ["部门编号至多 64 个字符。"];
        }
        if (request.Role is { } role && role is not (PlatformRoles.WindowClerk or PlatformRoles.Reviewer or PlatformRoles.Approver))
        {
            errors["role"] = [$"加签人的角色须为 {PlatformRoles.WindowClerk}、{PlatformRoles.Reviewer} 或 {PlatformRoles.Approver}。"];
        }
        if (request.Opinion is { Length: > 2000 })
        {
            errors["opinion"] = ["意见至多 2000 个字。"];
        }
        if (position == SignerPosition.After && string.IsNullOrWhiteSpace(request.Opinion))
        {
            errors["opinion"] = ["后加签时请先写下您的意见。"];
        }
        // The signer must be a real caseworker, looked up before the transaction; the name kept is the directory's.
        var signer = errors.ContainsKey("userId") ? null : await directory.FindAsync(request.UserId!.Trim(), cancellationToken);
        if (signer is null && !errors.ContainsKey("userId"))
        {
            errors["userId"] = [$"没有启用中的账号“{request.UserId!.Trim()}”。"];
        }
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var task = await HolderAsync(db, caller, id, errors, cancellationToken);
        var department = string.IsNullOrWhiteSpace(request.Department) ? task.Department : request.Department.Trim();
        var signerRole = request.Role ?? task.RoleList[0];
        if (signer is not null && (!signer.IsCaseworkerOf(department) || !signer.Roles.Contains(signerRole)))
        {
            throw new ValidationFailedException("userId", $"“{signer.DisplayName}”不是该部门担任此角色的工作人员，不能加签。");
        }
        var payload = new JsonObject { ["actorName"] = caller.Name };
        if (!string.IsNullOrWhiteSpace(request.Opinion))
        {
            payload["opinion"] = request.Opinion.Trim();
        }
        payload["signerName"] = signer!.DisplayName;
        await RunAsync(() => workflows.Using(db).AddSignerAsync(new AddSignerCommand(
            task.Id, caller.AsCaseworker(), position!.Value, signer.Id, department, [signerRole], payload),
            cancellationToken));
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return TypedResults.Ok(TaskView.Of(task, clock.GetUtcNow()));
    }

    private static async Task<Ok<TaskDraftView>> GetDraftAsync(Guid id, ClaimsPrincipal user, CasesDbContext db, CancellationToken cancellationToken)
    {
        var caller = new Caller(user);
        var task = await TasksApi.LoadAsync(db, caller, id, cancellationToken);
        var draft = await db.TaskDrafts.AsNoTracking().FirstOrDefaultAsync(d => d.TaskId == task.Id && d.Owner == caller.Id, cancellationToken)
            ?? throw new NotFoundException("您在该任务上没有草稿。");
        return TypedResults.Ok(ViewOf(draft));
    }

    private static async Task<Ok<TaskDraftView>> SaveDraftAsync(
        Guid id, TaskDraftRequest request, ClaimsPrincipal user, CasesDbContext db, TimeProvider clock, CancellationToken cancellationToken)
    {
        var caller = new Caller(user);
        var task = await TasksApi.LoadAsync(db, caller, id, cancellationToken);
        TasksApi.EnsureOpen(task);
        TasksApi.EnsureAssignee(caller, task);
        if (task.ClaimedBy != caller.Id)
        {
            throw new ConflictException("请先签收任务，再保存草稿。");
        }
        var errors = new Dictionary<string, string[]>();
        if (request.Action is { } action && !task.ActionList.Contains(action))
        {
            errors["action"] = [$"须为 {string.Join("、", task.ActionList)} 之一。"];
        }
        if (request.Opinion is { Length: > 2000 })
        {
            errors["opinion"] = ["意见至多 2000 个字。"];
        }
        var form = request.Form is { ValueKind: not JsonValueKind.Null and not JsonValueKind.Undefined } given ? given.GetRawText() : null;
        if (request.Form is { ValueKind: not JsonValueKind.Object and not JsonValueKind.Null and not JsonValueKind.Undefined })
        {
            errors["form"] = ["表单须为 JSON 对象。"];
        }
        else if (form is { Length: > MaxDraftFormBytes })
        {
            errors["form"] = [$"表单草稿至多 {MaxDraftFormBytes / 1024} KB。"];
        }
        if (errors.Count > 0)
        {
            throw new ValidationFailedException(errors);
        }

        var draft = await db.TaskDrafts.FirstOrDefaultAsync(d => d.TaskId == task.Id && d.Owner == caller.Id, cancellationToken);
        if (draft is null)
        {
            draft = new TaskDraft { TaskId = task.Id, Owner = caller.Id };
            db.TaskDrafts.Add(draft);
        }
        draft.Action = request.Action;
        draft.Opinion = request.Opinion;
        draft.Form = form;
        draft.SavedAt = clock.GetUtcNow();
        await db.SaveChangesAsync(cancellationToken);
        return TypedResults.Ok(ViewOf(draft));
    }

    private static async Task<NoContent> DeleteDraftAsync(Guid id, ClaimsPrincipal user, CasesDbContext db, CancellationToken cancellationToken)
    {
        var caller = new Caller(user);
        var task = await TasksApi.LoadAsync(db, caller, id, cancellationToken);
        var draft = await db.TaskDrafts.FirstOrDefaultAsync(d => d.TaskId == task.Id && d.Owner == caller.Id, cancellationToken);
        if (draft is not null)
        {
            db.TaskDrafts.Remove(draft);
            await db.SaveChangesAsync(cancellationToken);
        }
        return TypedResults.NoContent();
    }

    private static TaskDraftView ViewOf(TaskDraft draft) => new(
        draft.TaskId, draft.Action, draft.Opinion, draft.Form is null ? null : JsonDocument.Parse(draft.Form).RootElement.Clone(),
        Songjiang.ServiceDefaults.Time.ChinaTime.InChina(draft.SavedAt));

    private static void Reason(string? reason, string what, Dictionary<string, string[]> errors)
    {
        if (string.IsNullOrWhiteSpace(reason))
        {
            errors["reason"] = [$"{what}须说明理由。"];
        }
        else if (reason.Length > 2000)
        {
            errors["reason"] = ["理由至多 2000 个字。"];
        }
    }

    // The task as its holder sees it: visible, open, theirs (claimed, or named for them), for their role.
    private static async Task<CaseTask> HolderAsync(
        CasesDbContext db, Caller caller, Guid id, Dictionary<string, string[]> errors, CancellationToken cancellationToken)
    {
        var task = await TasksApi.LoadAsync(db, caller, id, cancellationToken);
        TasksApi.EnsureOpen(task);
        TasksApi.EnsureAssignee(caller, task);
        TasksApi.EnsureRole(caller, task);
        if (task.ClaimedBy != caller.Id)
        {
            throw new ConflictException(task.ClaimedBy is null
                ? "请先签收任务。"
                : $"该任务已由 {task.ClaimedByName ?? task.ClaimedBy} 签收。");
        }
        if (errors.Count > 0)
        {
            throw new ValidationFailedException(errors);
        }
        return task;
    }

    // The runtime's refusals become problems a caseworker reads; a task closed meanwhile is a conflict.
    private static async Task RunAsync(Func<Task<WorkflowCommandResult>> command)
    {
        WorkflowCommandResult result;
        try
        {
            result = await command();
        }
        catch (WorkflowTaskForbiddenException)
        {
            throw new ForbiddenException("您不是该任务的办理人。");
        }
        catch (WorkflowCommandRefusedException e)
        {
            throw new ConflictException(e.Message);
        }
        if (!result.Applied)
        {
            throw new ConflictException("该任务已经办理或已撤销。");
        }
    }
}

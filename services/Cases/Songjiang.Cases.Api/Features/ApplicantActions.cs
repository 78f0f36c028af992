using System.Security.Claims;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.ModelBinding;
using Microsoft.EntityFrameworkCore;
using Songjiang.Cases.Api.Domain;
using Songjiang.Cases.Api.Infrastructure;
using Songjiang.Cases.Api.Storage;
using Songjiang.Cases.Api.CaseFlow;
using Songjiang.EventBus;
using Songjiang.ServiceDefaults.Authentication;
using Songjiang.ServiceDefaults.Paging;
using Songjiang.ServiceDefaults.Problems;
using Songjiang.Workflows;

namespace Songjiang.Cases.Api.Features;

/// <summary>Applications: what the applicant does on an application (补正 resubmit, withdraw, confirm, rate).</summary>
public static partial class ApplicationsApi
{
    private static async Task<Ok<ApplicationView>> ResubmitAsync(
        string number, ResubmitRequest request, ClaimsPrincipal user, CasesDbContext db, IWorkflowRuntime workflows,
        IOutbox<CasesDbContext> outbox, TimeProvider clock, CancellationToken cancellationToken)
    {
        var caller = new Caller(user);
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var readable = await ApplicationAccess.LoadReadableAsync(db, caller, number, cancellationToken, tracked: true);
        if (readable.HandledByCity is not null)
        {
            var forwarded = await ResubmitForwardedAsync(readable, request, caller, db, outbox, clock, cancellationToken);
            await transaction.CommitAsync(cancellationToken);
            return TypedResults.Ok(forwarded);
        }
        var (application, task) = await ApplicantTaskAsync(db, caller, number, "correction", cancellationToken);
        await AttachResubmittedAsync(db, caller, application, request, "承办部门", application.ParentId ?? application.Id, cancellationToken);
        await db.SaveChangesAsync(cancellationToken);
        await CompleteApplicantTaskAsync(db, workflows, caller, task, "resubmit", request.Note, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return TypedResults.Ok(await ViewAsync(db, number, caller, cancellationToken));
    }

    private static async Task<Ok<ApplicationView>> WithdrawAsync(
        string number, [FromBody(EmptyBodyBehavior = EmptyBodyBehavior.Allow)] WithdrawRequest? request, ClaimsPrincipal user,
        CasesDbContext db, IWorkflowRuntime workflows, CancellationToken cancellationToken)
    {
        var caller = new Caller(user);
        var reason = string.IsNullOrWhiteSpace(request?.Reason) ? "申请人主动撤回申请" : request.Reason.Trim();
        if (reason.Length > 500)
        {
            throw new ValidationFailedException("reason", "撤回原因不能超过500个字。");
        }
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var application = await ApplicationAccess.LoadReadableAsync(db, caller, number, cancellationToken, tracked: true);
        if (!ApplicationAccess.ActsForApplicant(caller, application))
        {
            throw new ForbiddenException("只有申请人本人（或代为提交的窗口人员）可以撤回办件。");
        }
        if (application.Kind == ApplicationKind.Bundle)
        {
            throw new ConflictException($"办件 {number} 是“一件事”套餐，请分别撤回其中尚未受理的事项。");
        }
        // Until 受理 the open task is the intake (or the applicant's correction); afterwards the case belongs to the department.
        var withdrawable = application.Status is ApplicationStatus.Submitted or ApplicationStatus.CorrectionRequested;
        var task = withdrawable
            ? await db.Tasks.FirstOrDefaultAsync(t => t.ApplicationId == application.Id && t.Status == CaseTaskStatus.Open, cancellationToken)
            : null;
        if (task is null || !task.ActionList.Contains("withdraw"))
        {
            throw new ConflictException(application.Status == ApplicationStatus.Completed
                ? $"办件 {number} 已办结，不能撤回。"
                : $"办件 {number} 已受理（当前状态：{ApplicationSummary.StatusText(application.Status)}），不能再撤回；如需终止办理，请联系承办部门。");
        }
        // The intake task's candidates are the department's clerks; the applicant withdraws through this endpoint,
        // which the service authorised above, so the step is taken on the applicant's behalf with the task's roles.
        var actor = task.Department == Caller.ApplicantDepartment
            ? caller.AsApplicant()
            : new WorkflowActor(caller.Id, task.Department, task.RoleList);
        var result = await workflows.Using(db).CompleteTaskAsync(
            new CompleteTaskCommand(task.Id, actor, "withdraw", new JsonObject { ["opinion"] = reason }), cancellationToken);
        if (!result.Applied)
        {
            throw new ConflictException($"办件 {number} 的当前环节已被处理，请刷新后重试。");
        }
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return TypedResults.Ok(await ViewAsync(db, number, caller, cancellationToken));
    }

    private static async Task<Ok<ApplicationView>> ConfirmAsync(
        string number, ConfirmBenefitRequest request, ClaimsPrincipal user, CasesDbContext db, IWorkflowRuntime workflows,
        CancellationToken cancellationToken)
    {
        if (request.Accept is not { } accept)
        {
            throw new ValidationFailedException("accept", "请说明是否享受：true 为确认享受，false 为放弃。");
        }
        var caller = new Caller(user);
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var (_, task) = await ApplicantTaskAsync(db, caller, number, "confirm", cancellationToken);
        await CompleteApplicantTaskAsync(db, workflows, caller, task, accept ? "confirm" : "decline", null, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return TypedResults.Ok(await ViewAsync(db, number, caller, cancellationToken));
    }

    private static async Task<(Application Application, CaseTask Task)> ApplicantTaskAsync(
        CasesDbContext db, Caller caller, string number, string step, CancellationToken cancellationToken)
    {
        var application = await ApplicationAccess.LoadReadableAsync(db, caller, number, cancellationToken, tracked: true);
        if (!ApplicationAccess.ActsForApplicant(caller, application))
        {
            throw new ForbiddenException(step == "confirm"
                ? "只有申请人本人（或代为提交的窗口人员）可以确认或放弃享受。"
                : "只有申请人本人（或代为提交的窗口人员）可以补正。");
        }
        var task = await db.Tasks.FirstOrDefaultAsync(
            t => t.ApplicationId == application.Id && t.NodeId == step && t.Status == CaseTaskStatus.Open, cancellationToken);
        return task is null
            ? throw new ConflictException(step == "confirm"
                ? $"办件 {number} 目前没有需要您确认的事项（当前状态：{ApplicationSummary.StatusText(application.Status)}）。"
                : $"办件 {number} 目前没有待补正的材料（当前状态：{ApplicationSummary.StatusText(application.Status)}）。")
            : (application, task);
    }

    private static async Task CompleteApplicantTaskAsync(
        CasesDbContext db, IWorkflowRuntime workflows, Caller caller, CaseTask task, string action, string? note,
        CancellationToken cancellationToken)
    {
        var payload = note is null ? null : new JsonObject { ["opinion"] = note };
        var result = await workflows.Using(db).CompleteTaskAsync(new CompleteTaskCommand(task.Id, caller.AsApplicant(), action, payload), cancellationToken);
        if (!result.Applied)
        {
            throw new ConflictException($"办件 {task.ApplicationNumber} 的这一步已经办理，请刷新后查看。");
        }
        await db.SaveChangesAsync(cancellationToken);
    }

    /// <summary>
    /// Checks an applicant's answer to a 补正 request and attaches its uploads to the application's materials (to
    /// <paramref name="attachTo"/>: a bundle's child attaches to its parent): every material asked for, only materials of
    /// the application, only the caller's uploads not used yet, a note of at most 2000 characters — a 400 naming each
    /// fault otherwise, with nothing attached.
    /// </summary>
    private static async Task AttachResubmittedAsync(
        CasesDbContext db, Caller caller, Application application, ResubmitRequest request, string askedBy, Guid attachTo,
        CancellationToken cancellationToken)
    {
        var given = request.Materials ?? [];
        var errors = new Dictionary<string, string[]>();
        foreach (var code in application.CorrectionMaterials.Where(c => !given.ContainsKey(c)))
        {
            errors[$"materials.{code}"] = [$"{askedBy}要求重新提交《{application.Materials.FirstOrDefault(m => m.Code == code)?.Name ?? code}》，请上传。"];
        }
        var uploads = await db.Uploads.Where(u => given.Values.Contains(u.Id)).ToDictionaryAsync(u => u.Id, cancellationToken);
        foreach (var (code, id) in given)
        {
            if (application.Materials.All(m => m.Code != code))
            {
                errors[$"materials.{code}"] = [$"“{code}”不是本办件的材料。"];
            }
            else if (!uploads.TryGetValue(id, out var upload) || upload.Owner != caller.Id || upload.ApplicationId is not null)
            {
                errors[$"materials.{code}"] = [$"没有您上传且尚未使用的文件 {id}。"];
            }
        }
        if (request.Note is { Length: > 2000 })
        {
            errors["note"] = ["说明不超过 2000 个字符。"];
        }
        if (errors.Count > 0)
        {
            throw new ValidationFailedException(errors);
        }
        foreach (var (code, id) in given)
        {
            ApplicationSubmission.Attach(application.Materials.Single(m => m.Code == code), uploads[id]);
            uploads[id].ApplicationId = attachTo;
        }
    }
}

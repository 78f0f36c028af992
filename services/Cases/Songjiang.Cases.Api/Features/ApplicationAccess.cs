using Songjiang.ServiceDefaults.Authentication;
using Microsoft.EntityFrameworkCore;
using Songjiang.Cases.Api.Domain;
using Songjiang.Cases.Api.Infrastructure;
using Songjiang.ServiceDefaults.Problems;

namespace Songjiang.Cases.Api.Features;

/// <summary>
/// Who may see an application: the applicant enterprise, the partner city or clerk who submitted it, caseworkers
/// of a department that handles it (lead department, a bundle matter's department, a parallel reviewer), and
/// administrators. Anyone else is told it does not exist (404), never that it is someone else's.
/// </summary>
public static class ApplicationAccess
{
    /// <summary>Loads an application the caller may read, or throws <see cref="NotFoundException"/>.</summary>
    public static async Task<Application> LoadReadableAsync(
        CasesDbContext db, Caller caller, string number, CancellationToken cancellationToken, bool tracked = false)
    {
        var query = tracked ? db.Applications : db.Applications.AsNoTracking();
        var application = await query.FirstOrDefaultAsync(a => a.Number == number, cancellationToken);
        if (application is null || !await CanReadAsync(db, caller, application, cancellationToken))
        {
            throw new NotFoundException($"没有您可以查看的办件 {number}。");
        }
        return application;
    }

    /// <summary>Whether the caller may read the application.</summary>
    public static async Task<bool> CanReadAsync(CasesDbContext db, Caller caller, Application application, CancellationToken cancellationToken)
    {
        if (caller.IsAdmin || application.SubmittedBy == caller.Id)
        {
            return true;
        }
        if (caller.IsEnterprise)
        {
            // Its own applications, and those of a company its user registered (企业开办).
            return caller.ActsFor(application.ApplicantUscc) || caller.ActsFor(application.AssignedUscc);
        }
        if (!caller.IsCaseworker)
        {
            return false;
        }
        var department = caller.Department!;
        if (application.Department == department)
        {
            return true;
        }
        // A bundle's matters and a parallel review involve other departments: their tasks say so.
        return await db.Tasks.AnyAsync(t => t.Department == department
            && (t.ApplicationId == application.Id || db.Applications.Any(c => c.ParentId == application.Id && c.Id == t.ApplicationId)), cancellationToken)
            || await db.Applications.AnyAsync(c => c.ParentId == application.Id && c.Department == department, cancellationToken);
    }

    /// <summary>
    /// Whether the caller acts for the applicant: the enterprise itself, or — for an application made at the window or
    /// by a partner city — whoever submitted it, and the window clerks of its department.
    /// </summary>
    public static bool ActsForApplicant(Caller caller, Application application) =>
        (caller.IsEnterprise && string.Equals(application.ApplicantUscc, caller.Uscc, StringComparison.OrdinalIgnoreCase))
        || (application.Channel != Channel.Online && application.SubmittedBy == caller.Id)
        || (application.Channel == Channel.Window && caller.IsWindowClerk && caller.Department == application.Department);
}

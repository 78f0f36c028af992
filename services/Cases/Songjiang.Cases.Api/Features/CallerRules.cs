using Songjiang.ServiceDefaults.Authentication;
using Songjiang.Workflows;

namespace Songjiang.Cases.Api.Features;

/// <summary>What the cases service adds to the shared <see cref="Caller"/>: the caller as a workflow actor.</summary>
public static class CallerRules
{
    extension(Caller caller)
    {
        /// <summary>The caller as a caseworker acting on a task of their department.</summary>
        public WorkflowActor AsCaseworker() => new(caller.Id, caller.Department ?? "", caller.CaseworkerRoles);

        /// <summary>The caller acting for the applicant on the applicant's own tasks.</summary>
        public WorkflowActor AsApplicant() => new(caller.Id, Caller.ApplicantDepartment, [PlatformRoles.Enterprise]);
    }
}

using Songjiang.Enterprises.Api.Domain;
using Songjiang.ServiceDefaults.Authentication;

namespace Songjiang.Enterprises.Api.Features;

/// <summary>What the shared <see cref="Caller"/> may do with enterprise profiles.</summary>
public static class CallerRules
{
    /// <summary>The department that registers enterprises (市场监管局).</summary>
    public const string RegistrationDepartment = "market-regulation";

    /// <summary>Fields an enterprise keeps up to date itself; the rest change only through registration (变更).</summary>
    public static readonly IReadOnlySet<string> SelfServiceFields = new HashSet<string>(StringComparer.Ordinal)
    {
        "employees", "annualRevenue", "rdSpending", "contactPhone", "contactEmail",
    };

    extension(Caller caller)
    {
        /// <summary>Government staff and services read every profile; an enterprise only its own (or one its user registered).</summary>
        public bool CanRead(string uscc) => caller.IsGovernment || caller.ActsFor(uscc);

        /// <summary>Registration and registered fields: market regulation and administrators.</summary>
        public bool CanRegister => caller.IsAdmin || caller.IsCaseworkerOf(RegistrationDepartment);

        /// <summary>Lists and searches over all enterprises.</summary>
        public bool CanList => caller.IsGovernment;

        /// <summary>Credit records are written by supervising caseworkers and administrators.</summary>
        public bool CanRecordCredit => caller.IsAdmin || caller.IsCaseworker;

        /// <summary>The fields of this enterprise the caller may not change.</summary>
        public IReadOnlyList<string> ForbiddenFields(Enterprise enterprise, IEnumerable<string> fields) =>
            caller.CanRegister
                ? []
                : caller.ActsFor(enterprise.Uscc)
                    ? [.. fields.Where(f => !SelfServiceFields.Contains(f))]
                    : [.. fields];
    }
}

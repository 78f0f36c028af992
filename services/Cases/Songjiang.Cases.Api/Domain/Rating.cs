namespace Songjiang.Cases.Api.Domain;

/// <summary>The five grades of 好差评 (国办发〔2019〕51号, GB/T 39734-2020); the last two are 差评.</summary>
public enum RatingGrade
{
    /// <summary>非常满意.</summary>
    VerySatisfied,

    /// <summary>满意.</summary>
    Satisfied,

    /// <summary>基本满意.</summary>
    BasicallySatisfied,

    /// <summary>不满意 (差评).</summary>
    Dissatisfied,

    /// <summary>非常不满意 (差评).</summary>
    VeryDissatisfied,
}

/// <summary>Where a rating was given (GB/T 39735-2020 评价渠道).</summary>
public enum RatingChannel
{
    /// <summary>Online: the portal, the app or the API, by the applicant.</summary>
    Online,

    /// <summary>At the service-centre window (窗口评价器 or the window's QR code), for a case the window took.</summary>
    Window,
}

/// <summary>Where the follow-up of a real-name 差评 stands.</summary>
public enum FollowUpStatus
{
    /// <summary>Not a real-name 差评: nothing to follow up.</summary>
    None,

    /// <summary>Waiting for the department's call-back (回访), due in one working day.</summary>
    CallBackDue,

    /// <summary>Called back; rectification (整改) due within fifteen working days of the rating.</summary>
    RectificationDue,

    /// <summary>Rectified: the applicant may add one follow-up rating (追评).</summary>
    Rectified,

    /// <summary>The rating was annulled on appeal (复核): no follow-up owed.</summary>
    Annulled,
}

/// <summary>Where a department's appeal (复核) against a rating stands.</summary>
public enum AppealStatus
{
    /// <summary>No appeal.</summary>
    None,

    /// <summary>Waiting for another officer's decision.</summary>
    Pending,

    /// <summary>Upheld: the rating is annulled and counts in no statistics.</summary>
    Upheld,

    /// <summary>Rejected: the rating stands.</summary>
    Rejected,
}

/// <summary>
/// One rating (一事一评): one per application and channel, with a grade per dimension of its channel, the reasons the
/// applicant ticked and a free text; a real-name 差评 carries its follow-up (回访, 整改, 督办, 追评) and any appeal (复核).
/// </summary>
public sealed class Rating
{
    /// <summary>Id.</summary>
    public Guid Id { get; init; } = Guid.CreateVersion7();

    /// <summary>The rated application.</summary>
    public Guid ApplicationId { get; init; }

    /// <summary>Its number.</summary>
    public required string ApplicationNumber { get; init; }

    /// <summary>The matter (null for a benefit).</summary>
    public string? MatterCode { get; init; }

    /// <summary>The matter's name.</summary>
    public required string MatterName { get; init; }

    /// <summary>The department that handled it, which follows up.</summary>
    public required string Department { get; init; }

    /// <summary>The applicant enterprise.</summary>
    public string? ApplicantUscc { get; init; }

    /// <summary>The applicant's name.</summary>
    public required string ApplicantName { get; init; }

    /// <summary>Channel.</summary>
    public RatingChannel Channel { get; init; }

    /// <summary>The overall grade.</summary>
    public RatingGrade Grade { get; init; }

    /// <summary>The grades of the channel's other dimensions (efficiency, guide accuracy, convenience / competence, attitude), by name.</summary>
    public Dictionary<string, RatingGrade> Dimensions { get; init; } = [];

    /// <summary>The reasons ticked, by code (see <see cref="RatingCatalogue"/>).</summary>
    public List<string> Reasons { get; init; } = [];

    /// <summary>Free text.</summary>
    public string? Comment { get; init; }

    /// <summary>Given under the applicant's name (实名); only real-name 差评 are followed up.</summary>
    public bool RealName { get; init; }

    /// <summary>Who recorded it (the enterprise user, or the window clerk keying in the window's device).</summary>
    public required string RatedBy { get; init; }

    /// <summary>When.</summary>
    public DateTimeOffset RatedAt { get; init; }

    /// <summary>Migrated from the former 1–5 score (which it was).</summary>
    public int? LegacyScore { get; init; }

    /// <summary>Follow-up state.</summary>
    public FollowUpStatus FollowUp { get; private set; }

    /// <summary>The call-back's deadline: one working day after the rating.</summary>
    public DateTimeOffset? CallBackDueAt { get; private set; }

    /// <summary>When the applicant was called back.</summary>
    public DateTimeOffset? CalledBackAt { get; private set; }

    /// <summary>Who called back.</summary>
    public string? CalledBackBy { get; private set; }

    /// <summary>What the call-back found.</summary>
    public string? CallBackNote { get; private set; }

    /// <summary>The rectification's deadline: fifteen working days after the rating.</summary>
    public DateTimeOffset? RectificationDueAt { get; private set; }

    /// <summary>When the department reported the rectification.</summary>
    public DateTimeOffset? RectifiedAt { get; private set; }

    /// <summary>Who reported it.</summary>
    public string? RectifiedBy { get; private set; }

    /// <summary>What was rectified.</summary>
    public string? RectificationNote { get; private set; }

    /// <summary>When the call-back was escalated (督办) for being late.</summary>
    public DateTimeOffset? CallBackEscalatedAt { get; private set; }

    /// <summary>When the rectification was escalated (督办) for being late.</summary>
    public DateTimeOffset? RectificationEscalatedAt { get; private set; }

    /// <summary>The call-back task in the department's work list.</summary>
    public Guid? CallBackTaskId { get; private set; }

    /// <summary>The rectification task in the department's work list.</summary>
    public Guid? RectificationTaskId { get; private set; }

    /// <summary>The follow-up's workflow correlation.</summary>
    public string? FollowUpCorrelation { get; private set; }

    /// <summary>The applicant's one follow-up rating (追评) after rectification.</summary>
    public RatingGrade? FollowUpGrade { get; private set; }

    /// <summary>Its text.</summary>
    public string? FollowUpComment { get; private set; }

    /// <summary>When.</summary>
    public DateTimeOffset? FollowUpRatedAt { get; private set; }

    /// <summary>Appeal state.</summary>
    public AppealStatus Appeal { get; private set; }

    /// <summary>The department's reason for the appeal.</summary>
    public string? AppealReason { get; private set; }

    /// <summary>The officer who appealed.</summary>
    public string? AppealedBy { get; private set; }

    /// <summary>When.</summary>
    public DateTimeOffset? AppealedAt { get; private set; }

    /// <summary>The officer who decided (never the one who appealed).</summary>
    public string? AppealDecidedBy { get; private set; }

    /// <summary>The decision's reason, kept.</summary>
    public string? AppealDecisionReason { get; private set; }

    /// <summary>When.</summary>
    public DateTimeOffset? AppealDecidedAt { get; private set; }

    /// <summary>Optimistic concurrency.</summary>
    public int Version { get; set; }

    /// <summary>Whether the grade is a 差评.</summary>
    public bool Poor => IsPoor(Grade);

    /// <summary>Whether it counts in statistics (not annulled on appeal).</summary>
    public bool Counts => Appeal != AppealStatus.Upheld;

    /// <summary>Whether a grade is a 差评 (不满意 or 非常不满意).</summary>
    public static bool IsPoor(RatingGrade grade) => grade is RatingGrade.Dissatisfied or RatingGrade.VeryDissatisfied;

    /// <summary>The correlation of a rating's follow-up workflow.</summary>
    public static string FollowUpCorrelationOf(string applicationCorrelation, RatingChannel channel) =>
        $"{applicationCorrelation}/follow-up/{channel.ToString().ToLowerInvariant()}";

    /// <summary>Opens the follow-up of a real-name 差评; its tasks bring their deadlines (<see cref="TaskOpened"/>).</summary>
    public void OpenFollowUp(string correlation)
    {
        if (!Poor || !RealName || FollowUp != FollowUpStatus.None)
        {
            throw new InvalidOperationException("Only a real-name 差评 without a follow-up opens one.");
        }
        FollowUpCorrelation = correlation;
        FollowUp = FollowUpStatus.CallBackDue;
    }

    /// <summary>A follow-up task opened in the work list, with the deadline the workflow computed on working days.</summary>
    public void TaskOpened(bool callBack, Guid taskId, DateTimeOffset? dueAt)
    {
        if (callBack)
        {
            CallBackTaskId = taskId;
            CallBackDueAt = dueAt;
        }
        else
        {
            RectificationTaskId = taskId;
            RectificationDueAt = dueAt;
        }
    }

    /// <summary>A follow-up carried over from the former single follow-up task: that task stands for both steps.</summary>
    public void AdoptLegacyFollowUp(string correlation, Guid? taskId, DateTimeOffset? dueAt)
    {
        FollowUpCorrelation = correlation;
        FollowUp = FollowUpStatus.CallBackDue;
        CallBackTaskId = RectificationTaskId = taskId;
        CallBackDueAt = RectificationDueAt = dueAt;
    }

    /// <summary>Records the call-back; false when it is not due (already called back, or annulled).</summary>
    public bool RecordCallBack(string by, string? note, DateTimeOffset at)
    {
        if (FollowUp != FollowUpStatus.CallBackDue && !(FollowUp == FollowUpStatus.Rectified && CalledBackAt is null))
        {
            return false;
        }
        CalledBackBy = by;
        CallBackNote = note;
        CalledBackAt = at;
        if (FollowUp == FollowUpStatus.CallBackDue)
        {
            FollowUp = FollowUpStatus.RectificationDue;
        }
        return true;
    }

    /// <summary>
    /// Records the rectification; false when it is not due. Reported through the generic work list before the call-back
    /// was recorded, the rectification report stands for the contact too (the call-back is then dated with it).
    /// </summary>
    public bool RecordRectification(string by, string? note, DateTimeOffset at)
    {
        if (FollowUp is not (FollowUpStatus.CallBackDue or FollowUpStatus.RectificationDue))
        {
            return false;
        }
        if (CalledBackAt is null)
        {
            RecordCallBack(by, note, at);
        }
        RectifiedBy = by;
        RectificationNote = note;
        RectifiedAt = at;
        FollowUp = FollowUpStatus.Rectified;
        return true;
    }

    /// <summary>Marks the late step escalated (督办); false when the step is no longer open or already escalated.</summary>
    public bool Escalate(bool callBack, DateTimeOffset at)
    {
        if (callBack && FollowUp == FollowUpStatus.CallBackDue && CallBackEscalatedAt is null)
        {
            CallBackEscalatedAt = at;
            return true;
        }
        if (!callBack && FollowUp is FollowUpStatus.CallBackDue or FollowUpStatus.RectificationDue && RectificationEscalatedAt is null)
        {
            RectificationEscalatedAt = at;
            return true;
        }
        return false;
    }

    /// <summary>Whether the applicant may add the follow-up rating now.</summary>
    public bool AcceptsFollowUpRating => FollowUp == FollowUpStatus.Rectified && FollowUpGrade is null;

    /// <summary>The applicant's one 追评, after rectification.</summary>
    public void AddFollowUpRating(RatingGrade grade, string? comment, DateTimeOffset at)
    {
        if (!AcceptsFollowUpRating)
        {
            throw new InvalidOperationException("A follow-up rating comes once, after rectification.");
        }
        FollowUpGrade = grade;
        FollowUpComment = comment;
        FollowUpRatedAt = at;
    }

    /// <summary>A department appeals the rating as untrue.</summary>
    public void FileAppeal(string by, string reason, DateTimeOffset at)
    {
        if (Appeal != AppealStatus.None)
        {
            throw new InvalidOperationException("A rating is appealed once.");
        }
        Appeal = AppealStatus.Pending;
        AppealedBy = by;
        AppealReason = reason;
        AppealedAt = at;
    }

    /// <summary>Another officer decides the appeal; upheld annuls the rating and any follow-up still owed.</summary>
    public void DecideAppeal(bool upheld, string by, string reason, DateTimeOffset at)
    {
        if (Appeal != AppealStatus.Pending || by == AppealedBy)
        {
            throw new InvalidOperationException("A pending appeal is decided by another officer.");
        }
        Appeal = upheld ? AppealStatus.Upheld : AppealStatus.Rejected;
        AppealDecidedBy = by;
        AppealDecisionReason = reason;
        AppealDecidedAt = at;
        if (upheld && FollowUp is FollowUpStatus.CallBackDue or FollowUpStatus.RectificationDue)
        {
            FollowUp = FollowUpStatus.Annulled;
        }
    }
}

namespace Songjiang.Workflows;

/// <summary>Base of the runtime's domain exceptions, so a host can map them to problem details in one place.</summary>
public class WorkflowException(string message) : Exception(message);

/// <summary>The actor is not a candidate of the task (wrong department or role); a host answers 403.</summary>
public sealed class WorkflowTaskForbiddenException(Guid taskId, string department)
    : WorkflowException($"Task {taskId} is not assigned to department '{department}' with the actor's roles.");

/// <summary>The action is not one the task allows (e.g. 'approve' on a correction task); a host answers 409.</summary>
public sealed class WorkflowActionNotAllowedException(Guid taskId, string action, IEnumerable<string> allowed)
    : WorkflowException($"Task {taskId} does not allow action '{action}'; allowed: {string.Join(", ", allowed)}.");

/// <summary>A definition, instance or task does not exist; a host answers 404.</summary>
public sealed class WorkflowNotFoundException(string message) : WorkflowException(message);

/// <summary>
/// A handover the procedure does not allow here (退回 to a step that is not earlier, 转办 to a department the step
/// does not list, 加签 on a 会签 step, a migration the instance cannot take); the message says why, in Chinese, for
/// the caseworker. A host answers 409.
/// </summary>
public sealed class WorkflowCommandRefusedException(string message) : WorkflowException(message);

namespace Songjiang.Licenses.Api.Issuance;

/// <summary>
/// An approved application cannot yield its licence (a field is missing or invalid, the holder is unknown). Thrown by
/// the approval handler so that the event bus retries and then dead-letters the event, where an operator sees this
/// message and can replay the event once the cause is fixed.
/// </summary>
public sealed class LicenceNotIssuableException(string message, Exception? innerException = null) : Exception(message, innerException);

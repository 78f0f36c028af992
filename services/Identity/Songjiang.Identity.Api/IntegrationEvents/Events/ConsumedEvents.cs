using Songjiang.EventBus;

namespace Songjiang.Identity.Api.IntegrationEvents.Events;

/// <summary>
/// The enterprise register registered an enterprise an approved establishment (设立登记) asked for (enterprises):
/// only the fields identity reads.
/// </summary>
/// <param name="Uscc">The code the register assigned.</param>
/// <param name="Name">The enterprise's name.</param>
/// <param name="ApplicationNumber">The establishment application.</param>
/// <param name="Registrant">The user who filed the establishment (legal representative or authorised agent).</param>
[IntegrationEvent("enterprises.enterprise-registered.v1")]
public sealed record EnterpriseRegisteredIntegrationEvent(string Uscc, string Name, string ApplicationNumber, string? Registrant) : IntegrationEvent;

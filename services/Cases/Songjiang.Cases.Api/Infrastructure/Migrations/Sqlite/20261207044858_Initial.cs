using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Songjiang.Cases.Api.Infrastructure.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class Initial : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "application_counters",
                columns: table => new
                {
                    Day = table.Column<string>(type: "TEXT", maxLength: 8, nullable: false),
                    Value = table.Column<long>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_application_counters", x => x.Day);
                });

            migrationBuilder.CreateTable(
                name: "applications",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "TEXT", nullable: false),
                    Number = table.Column<string>(type: "TEXT", maxLength: 32, nullable: false),
                    ParentId = table.Column<Guid>(type: "TEXT", nullable: true),
                    ParentNumber = table.Column<string>(type: "TEXT", maxLength: 32, nullable: true),
                    Kind = table.Column<string>(type: "TEXT", maxLength: 16, nullable: false),
                    MatterCode = table.Column<string>(type: "TEXT", maxLength: 32, nullable: true),
                    MatterVersion = table.Column<int>(type: "INTEGER", nullable: true),
                    BundleCode = table.Column<string>(type: "TEXT", maxLength: 32, nullable: true),
                    Name = table.Column<string>(type: "TEXT", maxLength: 200, nullable: false),
                    Department = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    Workflow = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    Correlation = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    Channel = table.Column<string>(type: "TEXT", maxLength: 16, nullable: false),
                    ApplicantUscc = table.Column<string>(type: "TEXT", maxLength: 18, nullable: true),
                    PartnerCity = table.Column<string>(type: "TEXT", nullable: true),
                    ApplicantName = table.Column<string>(type: "TEXT", maxLength: 200, nullable: false),
                    SubmittedBy = table.Column<string>(type: "TEXT", maxLength: 128, nullable: false),
                    Form = table.Column<string>(type: "TEXT", nullable: false),
                    CommitmentBased = table.Column<bool>(type: "INTEGER", nullable: false),
                    VisitsRequired = table.Column<int>(type: "INTEGER", nullable: false),
                    IdempotencyKey = table.Column<string>(type: "TEXT", maxLength: 128, nullable: true),
                    Status = table.Column<string>(type: "TEXT", maxLength: 24, nullable: false),
                    Outcome = table.Column<string>(type: "TEXT", maxLength: 24, nullable: true),
                    Reason = table.Column<string>(type: "TEXT", maxLength: 2000, nullable: true),
                    CorrectionMaterials = table.Column<string>(type: "TEXT", nullable: false),
                    AssignedUscc = table.Column<string>(type: "TEXT", maxLength: 18, nullable: true),
                    ApprovalOutcome = table.Column<string>(type: "TEXT", nullable: true),
                    SubmittedAt = table.Column<long>(type: "INTEGER", nullable: false),
                    AcceptedAt = table.Column<long>(type: "INTEGER", nullable: true),
                    DecidedAt = table.Column<long>(type: "INTEGER", nullable: true),
                    CompletedAt = table.Column<long>(type: "INTEGER", nullable: true),
                    PromisedDueAt = table.Column<long>(type: "INTEGER", nullable: true),
                    StatutoryDueAt = table.Column<long>(type: "INTEGER", nullable: true),
                    ClockPaused = table.Column<bool>(type: "INTEGER", nullable: false),
                    WorkingDaysTaken = table.Column<int>(type: "INTEGER", nullable: true),
                    OnTime = table.Column<bool>(type: "INTEGER", nullable: true),
                    WorkflowInstanceId = table.Column<Guid>(type: "TEXT", nullable: true),
                    Rating = table.Column<int>(type: "INTEGER", nullable: true),
                    RatingComment = table.Column<string>(type: "TEXT", maxLength: 1000, nullable: true),
                    RatedAt = table.Column<long>(type: "INTEGER", nullable: true),
                    OfferId = table.Column<Guid>(type: "TEXT", nullable: true),
                    Version = table.Column<int>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_applications", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "case_tasks",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "TEXT", nullable: false),
                    ApplicationId = table.Column<Guid>(type: "TEXT", nullable: false),
                    ApplicationNumber = table.Column<string>(type: "TEXT", maxLength: 32, nullable: false),
                    ApplicationName = table.Column<string>(type: "TEXT", maxLength: 200, nullable: false),
                    MatterCode = table.Column<string>(type: "TEXT", maxLength: 32, nullable: true),
                    ApplicantUscc = table.Column<string>(type: "TEXT", maxLength: 18, nullable: true),
                    NodeId = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    Title = table.Column<string>(type: "TEXT", maxLength: 200, nullable: true),
                    Department = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    Roles = table.Column<string>(type: "TEXT", maxLength: 200, nullable: false),
                    Actions = table.Column<string>(type: "TEXT", maxLength: 200, nullable: false),
                    OpenedAt = table.Column<long>(type: "INTEGER", nullable: false),
                    DueAt = table.Column<long>(type: "INTEGER", nullable: true),
                    Status = table.Column<string>(type: "TEXT", maxLength: 16, nullable: false),
                    ClaimedBy = table.Column<string>(type: "TEXT", maxLength: 128, nullable: true),
                    ClaimedByName = table.Column<string>(type: "TEXT", maxLength: 100, nullable: true),
                    ClaimedAt = table.Column<long>(type: "INTEGER", nullable: true),
                    CompletedBy = table.Column<string>(type: "TEXT", maxLength: 128, nullable: true),
                    Action = table.Column<string>(type: "TEXT", maxLength: 32, nullable: true),
                    Opinion = table.Column<string>(type: "TEXT", maxLength: 2000, nullable: true),
                    ClosedAt = table.Column<long>(type: "INTEGER", nullable: true),
                    Escalated = table.Column<bool>(type: "INTEGER", nullable: false),
                    Version = table.Column<int>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_case_tasks", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "eventbus_inbox",
                columns: table => new
                {
                    event_id = table.Column<string>(type: "TEXT", maxLength: 200, nullable: false),
                    source = table.Column<string>(type: "TEXT", maxLength: 200, nullable: false),
                    consumer = table.Column<string>(type: "TEXT", maxLength: 300, nullable: false),
                    processed_at = table.Column<DateTime>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_eventbus_inbox", x => new { x.event_id, x.source, x.consumer });
                });

            migrationBuilder.CreateTable(
                name: "eventbus_outbox",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "TEXT", nullable: false),
                    topic = table.Column<string>(type: "TEXT", maxLength: 200, nullable: false),
                    envelope = table.Column<string>(type: "TEXT", nullable: false),
                    created_at = table.Column<DateTime>(type: "TEXT", nullable: false),
                    sent_at = table.Column<DateTime>(type: "TEXT", nullable: true),
                    attempts = table.Column<int>(type: "INTEGER", nullable: false),
                    last_error = table.Column<string>(type: "TEXT", maxLength: 2000, nullable: true),
                    locked_until = table.Column<DateTime>(type: "TEXT", nullable: true),
                    lock_owner = table.Column<string>(type: "TEXT", maxLength: 64, nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_eventbus_outbox", x => x.id);
                });

            migrationBuilder.CreateTable(
                name: "uploads",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "TEXT", nullable: false),
                    Owner = table.Column<string>(type: "TEXT", maxLength: 128, nullable: false),
                    FileName = table.Column<string>(type: "TEXT", maxLength: 255, nullable: false),
                    ContentType = table.Column<string>(type: "TEXT", maxLength: 100, nullable: false),
                    Size = table.Column<long>(type: "INTEGER", nullable: false),
                    Sha256 = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    StorageKey = table.Column<string>(type: "TEXT", maxLength: 200, nullable: false),
                    UploadedAt = table.Column<long>(type: "INTEGER", nullable: false),
                    ApplicationId = table.Column<Guid>(type: "TEXT", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_uploads", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "wf_bookmarks",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "TEXT", nullable: false),
                    instance_id = table.Column<Guid>(type: "TEXT", nullable: false),
                    token_id = table.Column<Guid>(type: "TEXT", nullable: false),
                    event_name = table.Column<string>(type: "TEXT", nullable: false),
                    correlation_key = table.Column<string>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_wf_bookmarks", x => x.id);
                });

            migrationBuilder.CreateTable(
                name: "wf_definitions",
                columns: table => new
                {
                    name = table.Column<string>(type: "TEXT", nullable: false),
                    version = table.Column<int>(type: "INTEGER", nullable: false),
                    json = table.Column<string>(type: "TEXT", nullable: false),
                    published_at = table.Column<long>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_wf_definitions", x => new { x.name, x.version });
                });

            migrationBuilder.CreateTable(
                name: "wf_instances",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "TEXT", nullable: false),
                    definition_name = table.Column<string>(type: "TEXT", nullable: false),
                    definition_version = table.Column<int>(type: "INTEGER", nullable: false),
                    correlation_id = table.Column<string>(type: "TEXT", nullable: false),
                    status = table.Column<int>(type: "INTEGER", nullable: false),
                    outcome = table.Column<string>(type: "TEXT", nullable: true),
                    data = table.Column<string>(type: "TEXT", nullable: false),
                    parent_instance_id = table.Column<Guid>(type: "TEXT", nullable: true),
                    parent_token_id = table.Column<Guid>(type: "TEXT", nullable: true),
                    started_at = table.Column<long>(type: "INTEGER", nullable: false),
                    ended_at = table.Column<long>(type: "INTEGER", nullable: true),
                    statutory_due_at = table.Column<long>(type: "INTEGER", nullable: true),
                    clock_paused_at = table.Column<long>(type: "INTEGER", nullable: true),
                    paused_remaining_working_days = table.Column<int>(type: "INTEGER", nullable: true),
                    version = table.Column<int>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_wf_instances", x => x.id);
                });

            migrationBuilder.CreateTable(
                name: "wf_journal",
                columns: table => new
                {
                    instance_id = table.Column<Guid>(type: "TEXT", nullable: false),
                    step = table.Column<int>(type: "INTEGER", nullable: false),
                    at = table.Column<long>(type: "INTEGER", nullable: false),
                    entries = table.Column<string>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_wf_journal", x => new { x.instance_id, x.step });
                });

            migrationBuilder.CreateTable(
                name: "wf_timers",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "TEXT", nullable: false),
                    instance_id = table.Column<Guid>(type: "TEXT", nullable: false),
                    token_id = table.Column<Guid>(type: "TEXT", nullable: false),
                    node_id = table.Column<string>(type: "TEXT", nullable: false),
                    boundary_id = table.Column<string>(type: "TEXT", nullable: true),
                    due_at = table.Column<long>(type: "INTEGER", nullable: false),
                    status = table.Column<int>(type: "INTEGER", nullable: false),
                    claimed_until = table.Column<long>(type: "INTEGER", nullable: false),
                    fired_at = table.Column<long>(type: "INTEGER", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_wf_timers", x => x.id);
                });

            migrationBuilder.CreateTable(
                name: "wf_tokens",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "TEXT", nullable: false),
                    instance_id = table.Column<Guid>(type: "TEXT", nullable: false),
                    node_id = table.Column<string>(type: "TEXT", nullable: false),
                    status = table.Column<int>(type: "INTEGER", nullable: false),
                    scope = table.Column<string>(type: "TEXT", nullable: false),
                    created_at = table.Column<long>(type: "INTEGER", nullable: false),
                    ended_at = table.Column<long>(type: "INTEGER", nullable: true),
                    department = table.Column<string>(type: "TEXT", nullable: true),
                    roles = table.Column<string>(type: "TEXT", nullable: true),
                    due_at = table.Column<long>(type: "INTEGER", nullable: true),
                    escalated = table.Column<bool>(type: "INTEGER", nullable: false),
                    pending_children = table.Column<int>(type: "INTEGER", nullable: false),
                    incident = table.Column<string>(type: "TEXT", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_wf_tokens", x => x.id);
                });

            migrationBuilder.CreateTable(
                name: "application_materials",
                columns: table => new
                {
                    Id = table.Column<int>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    Code = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    Name = table.Column<string>(type: "TEXT", maxLength: 200, nullable: false),
                    Required = table.Column<bool>(type: "INTEGER", nullable: false),
                    Source = table.Column<string>(type: "TEXT", maxLength: 16, nullable: false),
                    UploadId = table.Column<Guid>(type: "TEXT", nullable: true),
                    FileName = table.Column<string>(type: "TEXT", maxLength: 255, nullable: true),
                    ContentType = table.Column<string>(type: "TEXT", maxLength: 100, nullable: true),
                    Size = table.Column<long>(type: "INTEGER", nullable: true),
                    Sha256 = table.Column<string>(type: "TEXT", maxLength: 64, nullable: true),
                    LicenceNumber = table.Column<string>(type: "TEXT", maxLength: 64, nullable: true),
                    LicenceType = table.Column<string>(type: "TEXT", maxLength: 64, nullable: true),
                    ApplicationId = table.Column<Guid>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_application_materials", x => x.Id);
                    table.ForeignKey(
                        name: "FK_application_materials_applications_ApplicationId",
                        column: x => x.ApplicationId,
                        principalTable: "applications",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "application_results",
                columns: table => new
                {
                    Id = table.Column<int>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    LicenceNumber = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    TypeCode = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    ValidFrom = table.Column<DateOnly>(type: "TEXT", nullable: false),
                    ValidUntil = table.Column<DateOnly>(type: "TEXT", nullable: true),
                    ApplicationId = table.Column<Guid>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_application_results", x => x.Id);
                    table.ForeignKey(
                        name: "FK_application_results_applications_ApplicationId",
                        column: x => x.ApplicationId,
                        principalTable: "applications",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "IX_application_materials_ApplicationId",
                table: "application_materials",
                column: "ApplicationId");

            migrationBuilder.CreateIndex(
                name: "IX_application_results_ApplicationId",
                table: "application_results",
                column: "ApplicationId");

            migrationBuilder.CreateIndex(
                name: "IX_application_results_LicenceNumber",
                table: "application_results",
                column: "LicenceNumber",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_applications_ApplicantUscc_SubmittedAt",
                table: "applications",
                columns: new[] { "ApplicantUscc", "SubmittedAt" });

            migrationBuilder.CreateIndex(
                name: "IX_applications_Correlation",
                table: "applications",
                column: "Correlation",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_applications_MatterCode_Status",
                table: "applications",
                columns: new[] { "MatterCode", "Status" });

            migrationBuilder.CreateIndex(
                name: "IX_applications_Number",
                table: "applications",
                column: "Number",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_applications_OfferId",
                table: "applications",
                column: "OfferId",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_applications_ParentId",
                table: "applications",
                column: "ParentId");

            migrationBuilder.CreateIndex(
                name: "IX_applications_SubmittedBy_IdempotencyKey",
                table: "applications",
                columns: new[] { "SubmittedBy", "IdempotencyKey" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_case_tasks_ApplicationId",
                table: "case_tasks",
                column: "ApplicationId");

            migrationBuilder.CreateIndex(
                name: "IX_case_tasks_Department_Status_DueAt",
                table: "case_tasks",
                columns: new[] { "Department", "Status", "DueAt" });

            migrationBuilder.CreateIndex(
                name: "ix_eventbus_outbox_lock_owner",
                table: "eventbus_outbox",
                column: "lock_owner");

            migrationBuilder.CreateIndex(
                name: "ix_eventbus_outbox_pending",
                table: "eventbus_outbox",
                columns: new[] { "sent_at", "created_at" });

            migrationBuilder.CreateIndex(
                name: "IX_wf_bookmarks_event_name_correlation_key",
                table: "wf_bookmarks",
                columns: new[] { "event_name", "correlation_key" });

            migrationBuilder.CreateIndex(
                name: "IX_wf_bookmarks_instance_id",
                table: "wf_bookmarks",
                column: "instance_id");

            migrationBuilder.CreateIndex(
                name: "IX_wf_instances_correlation_id",
                table: "wf_instances",
                column: "correlation_id");

            migrationBuilder.CreateIndex(
                name: "IX_wf_instances_parent_instance_id",
                table: "wf_instances",
                column: "parent_instance_id");

            migrationBuilder.CreateIndex(
                name: "IX_wf_timers_due_at",
                table: "wf_timers",
                column: "due_at",
                filter: "status = 0");

            migrationBuilder.CreateIndex(
                name: "IX_wf_timers_instance_id",
                table: "wf_timers",
                column: "instance_id");

            migrationBuilder.CreateIndex(
                name: "IX_wf_tokens_department",
                table: "wf_tokens",
                column: "department",
                filter: "status = 0");

            migrationBuilder.CreateIndex(
                name: "IX_wf_tokens_instance_id",
                table: "wf_tokens",
                column: "instance_id",
                filter: "status = 0");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "application_counters");

            migrationBuilder.DropTable(
                name: "application_materials");

            migrationBuilder.DropTable(
                name: "application_results");

            migrationBuilder.DropTable(
                name: "case_tasks");

            migrationBuilder.DropTable(
                name: "eventbus_inbox");

            migrationBuilder.DropTable(
                name: "eventbus_outbox");

            migrationBuilder.DropTable(
                name: "uploads");

            migrationBuilder.DropTable(
                name: "wf_bookmarks");

            migrationBuilder.DropTable(
                name: "wf_definitions");

            migrationBuilder.DropTable(
                name: "wf_instances");

            migrationBuilder.DropTable(
                name: "wf_journal");

            migrationBuilder.DropTable(
                name: "wf_timers");

            migrationBuilder.DropTable(
                name: "wf_tokens");

            migrationBuilder.DropTable(
                name: "applications");
        }
    }
}

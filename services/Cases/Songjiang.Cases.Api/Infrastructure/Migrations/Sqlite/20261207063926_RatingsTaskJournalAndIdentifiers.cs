using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Songjiang.Cases.Api.Infrastructure.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class RatingsTaskJournalAndIdentifiers : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "assignment",
                table: "wf_tokens",
                type: "TEXT",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "AssignedTo",
                table: "case_tasks",
                type: "TEXT",
                maxLength: 128,
                nullable: true);

            migrationBuilder.AddColumn<bool>(
                name: "Countersign",
                table: "case_tasks",
                type: "INTEGER",
                nullable: false,
                defaultValue: false);

            migrationBuilder.AddColumn<int>(
                name: "StatusSequence",
                table: "applications",
                type: "INTEGER",
                nullable: false,
                defaultValue: 0);

            migrationBuilder.CreateTable(
                name: "case_task_drafts",
                columns: table => new
                {
                    TaskId = table.Column<Guid>(type: "TEXT", nullable: false),
                    Owner = table.Column<string>(type: "TEXT", maxLength: 128, nullable: false),
                    Action = table.Column<string>(type: "TEXT", maxLength: 32, nullable: true),
                    Opinion = table.Column<string>(type: "TEXT", maxLength: 2000, nullable: true),
                    Form = table.Column<string>(type: "TEXT", maxLength: 65536, nullable: true),
                    SavedAt = table.Column<long>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_case_task_drafts", x => new { x.TaskId, x.Owner });
                });

            migrationBuilder.CreateTable(
                name: "case_task_events",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "TEXT", nullable: false),
                    TaskId = table.Column<Guid>(type: "TEXT", nullable: false),
                    ApplicationId = table.Column<Guid>(type: "TEXT", nullable: false),
                    ApplicationNumber = table.Column<string>(type: "TEXT", maxLength: 32, nullable: false),
                    Kind = table.Column<string>(type: "TEXT", maxLength: 24, nullable: false),
                    Step = table.Column<string>(type: "TEXT", maxLength: 200, nullable: true),
                    ActorId = table.Column<string>(type: "TEXT", maxLength: 128, nullable: false),
                    ActorName = table.Column<string>(type: "TEXT", maxLength: 100, nullable: false),
                    Department = table.Column<string>(type: "TEXT", maxLength: 64, nullable: true),
                    Detail = table.Column<string>(type: "TEXT", maxLength: 2000, nullable: true),
                    At = table.Column<long>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_case_task_events", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "ratings",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "TEXT", nullable: false),
                    ApplicationId = table.Column<Guid>(type: "TEXT", nullable: false),
                    ApplicationNumber = table.Column<string>(type: "TEXT", maxLength: 32, nullable: false),
                    MatterCode = table.Column<string>(type: "TEXT", maxLength: 32, nullable: true),
                    MatterName = table.Column<string>(type: "TEXT", maxLength: 200, nullable: false),
                    Department = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    ApplicantUscc = table.Column<string>(type: "TEXT", maxLength: 18, nullable: true),
                    ApplicantName = table.Column<string>(type: "TEXT", maxLength: 200, nullable: false),
                    Channel = table.Column<string>(type: "TEXT", maxLength: 16, nullable: false),
                    Grade = table.Column<string>(type: "TEXT", maxLength: 24, nullable: false),
                    Dimensions = table.Column<string>(type: "TEXT", maxLength: 400, nullable: false),
                    Reasons = table.Column<string>(type: "TEXT", maxLength: 1000, nullable: false),
                    Comment = table.Column<string>(type: "TEXT", maxLength: 1000, nullable: true),
                    RealName = table.Column<bool>(type: "INTEGER", nullable: false),
                    RatedBy = table.Column<string>(type: "TEXT", maxLength: 128, nullable: false),
                    RatedAt = table.Column<long>(type: "INTEGER", nullable: false),
                    LegacyScore = table.Column<int>(type: "INTEGER", nullable: true),
                    FollowUp = table.Column<string>(type: "TEXT", maxLength: 24, nullable: false),
                    CallBackDueAt = table.Column<long>(type: "INTEGER", nullable: true),
                    CalledBackAt = table.Column<long>(type: "INTEGER", nullable: true),
                    CalledBackBy = table.Column<string>(type: "TEXT", maxLength: 128, nullable: true),
                    CallBackNote = table.Column<string>(type: "TEXT", maxLength: 2000, nullable: true),
                    RectificationDueAt = table.Column<long>(type: "INTEGER", nullable: true),
                    RectifiedAt = table.Column<long>(type: "INTEGER", nullable: true),
                    RectifiedBy = table.Column<string>(type: "TEXT", maxLength: 128, nullable: true),
                    RectificationNote = table.Column<string>(type: "TEXT", maxLength: 2000, nullable: true),
                    CallBackEscalatedAt = table.Column<long>(type: "INTEGER", nullable: true),
                    RectificationEscalatedAt = table.Column<long>(type: "INTEGER", nullable: true),
                    CallBackTaskId = table.Column<Guid>(type: "TEXT", nullable: true),
                    RectificationTaskId = table.Column<Guid>(type: "TEXT", nullable: true),
                    FollowUpCorrelation = table.Column<string>(type: "TEXT", maxLength: 96, nullable: true),
                    FollowUpGrade = table.Column<string>(type: "TEXT", maxLength: 24, nullable: true),
                    FollowUpComment = table.Column<string>(type: "TEXT", maxLength: 1000, nullable: true),
                    FollowUpRatedAt = table.Column<long>(type: "INTEGER", nullable: true),
                    Appeal = table.Column<string>(type: "TEXT", maxLength: 16, nullable: false),
                    AppealReason = table.Column<string>(type: "TEXT", maxLength: 2000, nullable: true),
                    AppealedBy = table.Column<string>(type: "TEXT", maxLength: 128, nullable: true),
                    AppealedAt = table.Column<long>(type: "INTEGER", nullable: true),
                    AppealDecidedBy = table.Column<string>(type: "TEXT", maxLength: 128, nullable: true),
                    AppealDecisionReason = table.Column<string>(type: "TEXT", maxLength: 2000, nullable: true),
                    AppealDecidedAt = table.Column<long>(type: "INTEGER", nullable: true),
                    Version = table.Column<int>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_ratings", x => x.Id);
                });

            migrationBuilder.CreateIndex(
                name: "IX_case_task_events_ApplicationId_At",
                table: "case_task_events",
                columns: new[] { "ApplicationId", "At" });

            migrationBuilder.CreateIndex(
                name: "IX_case_task_events_TaskId",
                table: "case_task_events",
                column: "TaskId");

            migrationBuilder.CreateIndex(
                name: "IX_ratings_ApplicationId_Channel",
                table: "ratings",
                columns: new[] { "ApplicationId", "Channel" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_ratings_Department_RatedAt",
                table: "ratings",
                columns: new[] { "Department", "RatedAt" });

            migrationBuilder.CreateIndex(
                name: "IX_ratings_FollowUpCorrelation",
                table: "ratings",
                column: "FollowUpCorrelation",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_ratings_MatterCode_RatedAt",
                table: "ratings",
                columns: new[] { "MatterCode", "RatedAt" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "case_task_drafts");

            migrationBuilder.DropTable(
                name: "case_task_events");

            migrationBuilder.DropTable(
                name: "ratings");

            migrationBuilder.DropColumn(
                name: "assignment",
                table: "wf_tokens");

            migrationBuilder.DropColumn(
                name: "AssignedTo",
                table: "case_tasks");

            migrationBuilder.DropColumn(
                name: "Countersign",
                table: "case_tasks");

            migrationBuilder.DropColumn(
                name: "StatusSequence",
                table: "applications");
        }
    }
}

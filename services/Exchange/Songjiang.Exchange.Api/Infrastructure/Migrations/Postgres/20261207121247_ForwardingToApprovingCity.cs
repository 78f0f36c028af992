using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Songjiang.Exchange.Api.Infrastructure.Migrations.Postgres
{
    /// <inheritdoc />
    public partial class ForwardingToApprovingCity : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "forwarded_applications",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "uuid", nullable: false),
                    CaseNumber = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: false),
                    City = table.Column<string>(type: "character varying(6)", maxLength: 6, nullable: false),
                    MatterCode = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: false),
                    State = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    RemoteApplicationId = table.Column<Guid>(type: "uuid", nullable: true),
                    RemoteNumber = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: true),
                    RemoteSequence = table.Column<int>(type: "integer", nullable: false),
                    ResubmissionPending = table.Column<bool>(type: "boolean", nullable: false),
                    Attempts = table.Column<int>(type: "integer", nullable: false),
                    NextAttemptAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    LastError = table.Column<string>(type: "character varying(1000)", maxLength: 1000, nullable: true),
                    CreatedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_forwarded_applications", x => x.Id);
                });

            migrationBuilder.CreateIndex(
                name: "IX_forwarded_applications_CaseNumber",
                table: "forwarded_applications",
                column: "CaseNumber",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_forwarded_applications_City_RemoteApplicationId",
                table: "forwarded_applications",
                columns: new[] { "City", "RemoteApplicationId" });

            migrationBuilder.CreateIndex(
                name: "IX_forwarded_applications_State_NextAttemptAt",
                table: "forwarded_applications",
                columns: new[] { "State", "NextAttemptAt" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "forwarded_applications");
        }
    }
}

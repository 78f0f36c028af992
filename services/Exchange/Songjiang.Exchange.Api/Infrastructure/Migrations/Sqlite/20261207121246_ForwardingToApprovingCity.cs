using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Songjiang.Exchange.Api.Infrastructure.Migrations.Sqlite
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
                    Id = table.Column<Guid>(type: "TEXT", nullable: false),
                    CaseNumber = table.Column<string>(type: "TEXT", maxLength: 32, nullable: false),
                    City = table.Column<string>(type: "TEXT", maxLength: 6, nullable: false),
                    MatterCode = table.Column<string>(type: "TEXT", maxLength: 32, nullable: false),
                    State = table.Column<string>(type: "TEXT", maxLength: 16, nullable: false),
                    RemoteApplicationId = table.Column<Guid>(type: "TEXT", nullable: true),
                    RemoteNumber = table.Column<string>(type: "TEXT", maxLength: 64, nullable: true),
                    RemoteSequence = table.Column<int>(type: "INTEGER", nullable: false),
                    ResubmissionPending = table.Column<bool>(type: "INTEGER", nullable: false),
                    Attempts = table.Column<int>(type: "INTEGER", nullable: false),
                    NextAttemptAt = table.Column<long>(type: "INTEGER", nullable: false),
                    LastError = table.Column<string>(type: "TEXT", maxLength: 1000, nullable: true),
                    CreatedAt = table.Column<long>(type: "INTEGER", nullable: false)
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

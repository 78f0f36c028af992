using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Songjiang.Cases.Api.Infrastructure.Migrations.Postgres
{
    /// <inheritdoc />
    public partial class WorkListIndex : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_case_tasks_Department_Status_DueAt",
                table: "case_tasks");

            migrationBuilder.CreateIndex(
                name: "IX_case_tasks_work_list",
                table: "case_tasks",
                columns: new[] { "Department", "Status", "DueAt", "OpenedAt", "Roles", "AssignedTo", "ClaimedBy" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_case_tasks_work_list",
                table: "case_tasks");

            migrationBuilder.CreateIndex(
                name: "IX_case_tasks_Department_Status_DueAt",
                table: "case_tasks",
                columns: new[] { "Department", "Status", "DueAt" });
        }
    }
}

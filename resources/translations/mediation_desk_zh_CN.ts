<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="zh_CN">
<context>
    <name>App</name>
    <message>
        <source>Mediation Desk cannot start</source>
        <translation>调解工作台无法启动</translation>
    </message>
    <message>
        <source>Creating the demo county…</source>
        <translation>正在生成示例县的数据……</translation>
    </message>
    <message>
        <source>Mediation Desk</source>
        <translation>调解工作台</translation>
    </message>
</context>
<context>
    <name>CaseForm</name>
    <message>
        <source>Register a case</source>
        <translation>受理登记</translation>
    </message>
    <message>
        <source>Intake</source>
        <translation>受理情况</translation>
    </message>
    <message>
        <source>Intake &amp;date</source>
        <translation>受理日期(&amp;D)</translation>
    </message>
    <message>
        <source>&amp;Source</source>
        <translation>案件来源(&amp;S)</translation>
    </message>
    <message>
        <source>e.g. the people&apos;s court or police station</source>
        <translation>如人民法院、派出所</translation>
    </message>
    <message>
        <source>Referred by</source>
        <translation>委托移送单位</translation>
    </message>
    <message>
        <source>Choose…</source>
        <translation>请选择……</translation>
    </message>
    <message>
        <source>Dispute &amp;type</source>
        <translation>纠纷类型(&amp;T)</translation>
    </message>
    <message>
        <source>Case title</source>
        <translation>案件名称</translation>
    </message>
    <message>
        <source>The dispute</source>
        <translation>纠纷情况</translation>
    </message>
    <message>
        <source>Place</source>
        <translation>纠纷发生地</translation>
    </message>
    <message>
        <source>Amount (yuan)</source>
        <translation>涉及金额（元）</translation>
    </message>
    <message>
        <source>Count the parties</source>
        <translation>按当事人人数</translation>
    </message>
    <message>
        <source>Persons involved</source>
        <translation>涉及人数</translation>
    </message>
    <message>
        <source>&amp;Group dispute</source>
        <translation>群体性纠纷(&amp;G)</translation>
    </message>
    <message>
        <source>What happened, briefly</source>
        <translation>纠纷的简要经过</translation>
    </message>
    <message>
        <source>&amp;Facts</source>
        <translation>纠纷简要情况(&amp;F)</translation>
    </message>
    <message>
        <source>What the applicant asks for</source>
        <translation>当事人提出的请求</translation>
    </message>
    <message>
        <source>Re&amp;quests</source>
        <translation>申请事项(&amp;Q)</translation>
    </message>
    <message>
        <source>Choose the type of dispute</source>
        <translation>请选择纠纷类型</translation>
    </message>
    <message>
        <source>Name the body that referred the case</source>
        <translation>请填写委托移送单位</translation>
    </message>
    <message>
        <source>Nothing was saved. Please correct the entries marked in red.</source>
        <translation>尚未保存。请先改正标为红色的内容。</translation>
    </message>
    <message>
        <source>Unsaved case</source>
        <translation>案件尚未保存</translation>
    </message>
    <message>
        <source>This case has not been saved. Save it now, or discard what you entered?</source>
        <translation>此案件尚未保存。现在保存，还是放弃已填写的内容？</translation>
    </message>
</context>
<context>
    <name>CaseTableModel</name>
    <message>
        <source>Case number</source>
        <translation>案号</translation>
    </message>
    <message>
        <source>Intake date</source>
        <translation>受理日期</translation>
    </message>
    <message>
        <source>Committee</source>
        <translation>调委会</translation>
    </message>
    <message>
        <source>Dispute type</source>
        <translation>纠纷类型</translation>
    </message>
    <message>
        <source>Applicants</source>
        <translation>申请人</translation>
    </message>
    <message>
        <source>Respondents</source>
        <translation>被申请人</translation>
    </message>
    <message>
        <source>Status</source>
        <translation>状态</translation>
    </message>
    <message>
        <source>Outcome</source>
        <translation>结果</translation>
    </message>
    <message>
        <source>Amount involved: {amount} yuan</source>
        <translation>涉及金额：{amount} 元</translation>
    </message>
</context>
<context>
    <name>CaseView</name>
    <message>
        <source>Case registered</source>
        <translation>受理登记</translation>
    </message>
    <message>
        <source>Case accepted</source>
        <translation>受理</translation>
    </message>
    <message>
        <source>Case refused</source>
        <translation>不予受理</translation>
    </message>
    <message>
        <source>Mediators assigned</source>
        <translation>指派调解员</translation>
    </message>
    <message>
        <source>Investigation recorded</source>
        <translation>记录调查</translation>
    </message>
    <message>
        <source>Mediation session recorded</source>
        <translation>记录调解</translation>
    </message>
    <message>
        <source>Mediation concluded</source>
        <translation>调解终结</translation>
    </message>
    <message>
        <source>Follow-up visit recorded</source>
        <translation>记录回访</translation>
    </message>
    <message>
        <source>Judicial confirmation recorded</source>
        <translation>记录司法确认</translation>
    </message>
    <message>
        <source>Case closed</source>
        <translation>结案</translation>
    </message>
    <message>
        <source>Imported from a ledger</source>
        <translation>从台账导入</translation>
    </message>
    <message>
        <source>Demo data generated</source>
        <translation>生成示例数据</translation>
    </message>
    <message>
        <source>Merged from a sync file</source>
        <translation>从同步文件合并</translation>
    </message>
    <message>
        <source>Case</source>
        <translation>案件</translation>
    </message>
    <message>
        <source>Party</source>
        <translation>当事人</translation>
    </message>
    <message>
        <source>Mediator</source>
        <translation>调解员</translation>
    </message>
    <message>
        <source>Investigation record</source>
        <translation>调查记录</translation>
    </message>
    <message>
        <source>Session record</source>
        <translation>调解记录</translation>
    </message>
    <message>
        <source>Outcome</source>
        <translation>调解结果</translation>
    </message>
    <message>
        <source>Agreement</source>
        <translation>调解协议</translation>
    </message>
    <message>
        <source>Follow-up visit</source>
        <translation>回访</translation>
    </message>
    <message>
        <source>Judicial confirmation</source>
        <translation>司法确认</translation>
    </message>
    <message>
        <source>Attachment</source>
        <translation>附件</translation>
    </message>
    <message>
        <source>added</source>
        <translation>新增</translation>
    </message>
    <message>
        <source>changed</source>
        <translation>修改</translation>
    </message>
    <message>
        <source>deleted</source>
        <translation>删除</translation>
    </message>
    <message>
        <source>status</source>
        <translation>状态</translation>
    </message>
    <message>
        <source>closing date</source>
        <translation>结案日期</translation>
    </message>
    <message>
        <source>amount</source>
        <translation>金额</translation>
    </message>
    <message>
        <source>facts</source>
        <translation>纠纷简要情况</translation>
    </message>
    <message>
        <source>requests</source>
        <translation>申请事项</translation>
    </message>
    <message>
        <source>title</source>
        <translation>案件名称</translation>
    </message>
    <message>
        <source>place</source>
        <translation>纠纷发生地</translation>
    </message>
    <message>
        <source>dispute type</source>
        <translation>纠纷类型</translation>
    </message>
    <message>
        <source>persons involved</source>
        <translation>涉及人数</translation>
    </message>
    <message>
        <source>notes</source>
        <translation>备注</translation>
    </message>
    <message>
        <source>name</source>
        <translation>姓名</translation>
    </message>
    <message>
        <source>phone</source>
        <translation>电话</translation>
    </message>
    <message>
        <source>address</source>
        <translation>住址</translation>
    </message>
    <message>
        <source>ID number</source>
        <translation>证件号码</translation>
    </message>
    <message>
        <source>performance</source>
        <translation>履行情况</translation>
    </message>
    <message>
        <source>reason for refusal</source>
        <translation>不予受理理由</translation>
    </message>
    <message>
        <source>recusal</source>
        <translation>回避</translation>
    </message>
    <message>
        <source>Investigation</source>
        <translation>调查</translation>
    </message>
    <message>
        <source>Mediation session</source>
        <translation>调解</translation>
    </message>
    <message>
        <source>{table} {action}</source>
        <translation>{action}{table}</translation>
    </message>
    <message>
        <source>Case {number}</source>
        <translation>案件 {number}</translation>
    </message>
    <message>
        <source>&amp;Particulars</source>
        <translation>基本情况(&amp;P)</translation>
    </message>
    <message>
        <source>Pa&amp;rties ({count})</source>
        <translation>当事人（{count}）(&amp;R)</translation>
    </message>
    <message>
        <source>&amp;Mediators</source>
        <translation>调解员(&amp;M)</translation>
    </message>
    <message>
        <source>Re&amp;cords ({count})</source>
        <translation>调查与调解记录（{count}）(&amp;C)</translation>
    </message>
    <message>
        <source>&amp;Outcome</source>
        <translation>调解结果(&amp;O)</translation>
    </message>
    <message>
        <source>&amp;History</source>
        <translation>修改记录(&amp;H)</translation>
    </message>
    <message>
        <source>Case number</source>
        <translation>案号</translation>
    </message>
    <message>
        <source>Intake date</source>
        <translation>受理日期</translation>
    </message>
    <message>
        <source>Committee</source>
        <translation>调委会</translation>
    </message>
    <message>
        <source>Source</source>
        <translation>案件来源</translation>
    </message>
    <message>
        <source>Dispute type</source>
        <translation>纠纷类型</translation>
    </message>
    <message>
        <source>Case title</source>
        <translation>案件名称</translation>
    </message>
    <message>
        <source>Place</source>
        <translation>纠纷发生地</translation>
    </message>
    <message>
        <source>Amount (yuan)</source>
        <translation>涉及金额（元）</translation>
    </message>
    <message>
        <source>Persons involved</source>
        <translation>涉及人数</translation>
    </message>
    <message>
        <source>Group dispute</source>
        <translation>群体性纠纷</translation>
    </message>
    <message>
        <source>Yes</source>
        <translation>是</translation>
    </message>
    <message>
        <source>No</source>
        <translation>否</translation>
    </message>
    <message>
        <source>Risks</source>
        <translation>风险提示</translation>
    </message>
    <message>
        <source>Status</source>
        <translation>状态</translation>
    </message>
    <message>
        <source>Recorder</source>
        <translation>记录人</translation>
    </message>
    <message>
        <source>Facts</source>
        <translation>纠纷简要情况</translation>
    </message>
    <message>
        <source>Requests</source>
        <translation>申请事项</translation>
    </message>
    <message>
        <source>Notes</source>
        <translation>备注</translation>
    </message>
    <message>
        <source>Role</source>
        <translation>身份</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>姓名</translation>
    </message>
    <message>
        <source>Gender</source>
        <translation>性别</translation>
    </message>
    <message>
        <source>ID type</source>
        <translation>证件类型</translation>
    </message>
    <message>
        <source>Phone</source>
        <translation>联系电话</translation>
    </message>
    <message>
        <source>Address</source>
        <translation>住址</translation>
    </message>
    <message>
        <source>No parties recorded.</source>
        <translation>没有登记当事人。</translation>
    </message>
    <message>
        <source>Assigned on</source>
        <translation>指派日期</translation>
    </message>
    <message>
        <source>Recused</source>
        <translation>已回避</translation>
    </message>
    <message>
        <source>No mediator assigned yet.</source>
        <translation>尚未指派调解员。</translation>
    </message>
    <message>
        <source>Date</source>
        <translation>日期</translation>
    </message>
    <message>
        <source>Kind</source>
        <translation>类别</translation>
    </message>
    <message>
        <source>Summary</source>
        <translation>摘要</translation>
    </message>
    <message>
        <source>Content</source>
        <translation>内容</translation>
    </message>
    <message>
        <source>No investigation, session or follow-up recorded yet.</source>
        <translation>尚无调查、调解或回访记录。</translation>
    </message>
    <message>
        <source>Mediation has not ended yet.</source>
        <translation>调解尚未终结。</translation>
    </message>
    <message>
        <source>Decided on</source>
        <translation>结果日期</translation>
    </message>
    <message>
        <source>Reason</source>
        <translation>原因</translation>
    </message>
    <message>
        <source>Performance</source>
        <translation>履行情况</translation>
    </message>
    <message>
        <source>Closed on</source>
        <translation>结案日期</translation>
    </message>
    <message>
        <source>Time</source>
        <translation>时间</translation>
    </message>
    <message>
        <source>By</source>
        <translation>操作人</translation>
    </message>
    <message>
        <source>Operation</source>
        <translation>操作</translation>
    </message>
    <message>
        <source>Change</source>
        <translation>变更</translation>
    </message>
    <message>
        <source>Fields</source>
        <translation>变更的内容</translation>
    </message>
    <message>
        <source>No history recorded.</source>
        <translation>没有修改记录。</translation>
    </message>
</context>
<context>
    <name>Crash</name>
    <message>
        <source>Mediation Desk</source>
        <translation>调解工作台</translation>
    </message>
    <message>
        <source>Something went wrong inside Mediation Desk.</source>
        <translation>调解工作台发生了意外错误。</translation>
    </message>
    <message>
        <source>What you saved before is safe; the action you were doing may not have finished. The details are in the log file:
{path}
Please send this file to whoever supports your desk. It contains no personal data.</source>
        <translation>此前已保存的内容不受影响；刚才的操作可能没有完成。详细情况已记录在日志文件中：
{path}
请把这个文件发给为您提供技术支持的人员。日志中不含个人信息。</translation>
    </message>
</context>
<context>
    <name>FilterBar</name>
    <message>
        <source>Case number, party name or facts</source>
        <translation>案号、当事人姓名或案情</translation>
    </message>
    <message>
        <source>All statuses</source>
        <translation>全部状态</translation>
    </message>
    <message>
        <source>All dispute types</source>
        <translation>全部纠纷类型</translation>
    </message>
    <message>
        <source>&amp;Search</source>
        <translation>搜索(&amp;S)</translation>
    </message>
    <message>
        <source>S&amp;tatus</source>
        <translation>状态(&amp;T)</translation>
    </message>
    <message>
        <source>T&amp;ype</source>
        <translation>纠纷类型(&amp;Y)</translation>
    </message>
</context>
<context>
    <name>FirstRunDialog</name>
    <message>
        <source>Welcome to Mediation Desk</source>
        <translation>欢迎使用调解工作台</translation>
    </message>
    <message>
        <source>There is no desk in the data folder yet:
{folder}
What would you like to do?</source>
        <translation>数据文件夹中还没有工作台：
{folder}
请选择：</translation>
    </message>
    <message>
        <source>Set up this desk</source>
        <translation>建立本工作台</translation>
    </message>
    <message>
        <source>Enter the code and name of your mediation committee (or judicial office, or justice bureau) and choose the administrator&apos;s password.</source>
        <translation>填写本调委会（或司法所、司法局）的组织代码和名称，并设置管理员密码。</translation>
    </message>
    <message>
        <source>Load the demo county</source>
        <translation>载入示例数据</translation>
    </message>
    <message>
        <source>Create a made-up county (Jinyun&apos;s townships with generated villages, mediators and a year of cases) to try the program or to train. Every person and case in it is fictitious.</source>
        <translation>生成一个虚构的县（缙云县的乡镇，以及程序生成的村、调解员和一年的案件），用于试用和培训。其中的人和案件全部是虚构的。</translation>
    </message>
    <message>
        <source>&amp;Quit</source>
        <translation>退出(&amp;Q)</translation>
    </message>
    <message>
        <source>6 to 15 digits, e.g. 331122001001</source>
        <translation>6–15 位数字，如 331122001001</translation>
    </message>
    <message>
        <source>Organisation &amp;code</source>
        <translation>组织代码(&amp;C)</translation>
    </message>
    <message>
        <source>e.g. a village people&apos;s mediation committee</source>
        <translation>如：××村人民调解委员会</translation>
    </message>
    <message>
        <source>Organisation &amp;name</source>
        <translation>组织名称(&amp;N)</translation>
    </message>
    <message>
        <source>&amp;Level</source>
        <translation>层级(&amp;L)</translation>
    </message>
    <message>
        <source>&amp;Parent organisation</source>
        <translation>上级组织(&amp;P)</translation>
    </message>
    <message>
        <source>e.g. 缙五人调, giving numbers like (2021)缙五人调字第12号</source>
        <translation>如“缙五人调”，案号形如 (2021)缙五人调字第12号</translation>
    </message>
    <message>
        <source>Case number &amp;prefix</source>
        <translation>案号字头(&amp;R)</translation>
    </message>
    <message>
        <source>&amp;Administrator</source>
        <translation>管理员用户名(&amp;A)</translation>
    </message>
    <message>
        <source>Pass&amp;word</source>
        <translation>密码(&amp;W)</translation>
    </message>
    <message>
        <source>Password &amp;again</source>
        <translation>再次输入密码(&amp;G)</translation>
    </message>
    <message>
        <source>&amp;Back</source>
        <translation>返回(&amp;B)</translation>
    </message>
    <message>
        <source>&amp;Set up the desk</source>
        <translation>建立工作台(&amp;S)</translation>
    </message>
    <message>
        <source>Which organisation does this desk belong to?</source>
        <translation>本工作台属于哪个组织？</translation>
    </message>
    <message>
        <source>The two passwords are not the same</source>
        <translation>两次输入的密码不一致</translation>
    </message>
    <message>
        <source>Setting up the desk…</source>
        <translation>正在建立工作台……</translation>
    </message>
</context>
<context>
    <name>MainWindow</name>
    <message>
        <source>Mediation Desk — {organisation}</source>
        <translation>调解工作台 — {organisation}</translation>
    </message>
    <message>
        <source> (demo data)</source>
        <translation>（示例数据）</translation>
    </message>
    <message>
        <source>&amp;Register case</source>
        <translation>登记案件(&amp;N)</translation>
    </message>
    <message>
        <source>Register a new case and its parties</source>
        <translation>登记新案件及其当事人</translation>
    </message>
    <message>
        <source>&amp;Open</source>
        <translation>打开(&amp;O)</translation>
    </message>
    <message>
        <source>Open the selected case</source>
        <translation>打开选中的案件</translation>
    </message>
    <message>
        <source>Re&amp;fresh</source>
        <translation>刷新(&amp;R)</translation>
    </message>
    <message>
        <source>Read the case list again</source>
        <translation>重新读取案件列表</translation>
    </message>
    <message>
        <source>&amp;Find</source>
        <translation>查找(&amp;F)</translation>
    </message>
    <message>
        <source>Search the cases</source>
        <translation>搜索案件</translation>
    </message>
    <message>
        <source>E&amp;xit</source>
        <translation>退出(&amp;X)</translation>
    </message>
    <message>
        <source>Close Mediation Desk</source>
        <translation>关闭调解工作台</translation>
    </message>
    <message>
        <source>&amp;About Mediation Desk</source>
        <translation>关于调解工作台(&amp;A)</translation>
    </message>
    <message>
        <source>&amp;Desk</source>
        <translation>工作台(&amp;D)</translation>
    </message>
    <message>
        <source>&amp;Cases</source>
        <translation>案件(&amp;C)</translation>
    </message>
    <message>
        <source>&amp;Help</source>
        <translation>帮助(&amp;H)</translation>
    </message>
    <message>
        <source>Cases</source>
        <translation>案件</translation>
    </message>
    <message>
        <source>Demo data</source>
        <translation>示例数据</translation>
    </message>
    <message>
        <source>Everything on this desk was generated by the program. No case or person in it is real.</source>
        <translation>本工作台的全部数据由程序生成，其中的案件和人员都不是真实的。</translation>
    </message>
    <message>
        <source>{count} cases match</source>
        <translation>符合条件的案件：{count} 件</translation>
    </message>
    <message>
        <source>{count} cases</source>
        <translation>共 {count} 件案件</translation>
    </message>
    <message>
        <source>Case {number} registered</source>
        <translation>已登记案件 {number}</translation>
    </message>
    <message>
        <source>The database of this desk is damaged: {problem}</source>
        <translation>本工作台的数据库已损坏：{problem}</translation>
    </message>
    <message>
        <source>Make no more changes. To recover, close Mediation Desk and restore the last good backup, {backup}, with this command:

{command}

The damaged database is kept as a copy first.</source>
        <translation>请不要再作任何修改。恢复方法：关闭调解工作台，用最近一次完好的备份 {backup} 恢复，命令为：

{command}

恢复前会先把损坏的数据库另存一份副本。</translation>
    </message>
    <message>
        <source>No intact backup was found. Make no more changes, copy the whole data folder {folder} to a safe place and ask for technical support.</source>
        <translation>没有找到完好的备份。请不要再作任何修改，把整个数据文件夹 {folder} 复制到安全的地方，并联系技术支持。</translation>
    </message>
    <message>
        <source>Database damaged</source>
        <translation>数据库已损坏</translation>
    </message>
    <message>
        <source>About Mediation Desk</source>
        <translation>关于调解工作台</translation>
    </message>
    <message>
        <source>Mediation Desk {version}
Case management for people&apos;s mediation committees.</source>
        <translation>调解工作台 {version}
人民调解委员会案件管理程序。</translation>
    </message>
</context>
<context>
    <name>PartiesSection</name>
    <message>
        <source>Parties</source>
        <translation>当事人</translation>
    </message>
    <message>
        <source>Add &amp;applicant</source>
        <translation>添加申请人(&amp;A)</translation>
    </message>
    <message>
        <source>Add r&amp;espondent</source>
        <translation>添加被申请人(&amp;E)</translation>
    </message>
    <message>
        <source>Add &amp;third party</source>
        <translation>添加第三人(&amp;H)</translation>
    </message>
</context>
<context>
    <name>PartyEditor</name>
    <message>
        <source>Not given</source>
        <translation>未填</translation>
    </message>
    <message>
        <source>Remove</source>
        <translation>删除</translation>
    </message>
    <message>
        <source>Remove this party from the case</source>
        <translation>从本案中删除此当事人</translation>
    </message>
    <message>
        <source>&amp;Role</source>
        <translation>身份(&amp;R)</translation>
    </message>
    <message>
        <source>Kind</source>
        <translation>类别</translation>
    </message>
    <message>
        <source>Gender</source>
        <translation>性别</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>姓名</translation>
    </message>
    <message>
        <source>Phone</source>
        <translation>电话</translation>
    </message>
    <message>
        <source>ID type</source>
        <translation>证件类型</translation>
    </message>
    <message>
        <source>ID number</source>
        <translation>证件号码</translation>
    </message>
    <message>
        <source>Address</source>
        <translation>住址</translation>
    </message>
</context>
<context>
    <name>ProgressDialog</name>
    <message>
        <source>Please wait</source>
        <translation>请稍候</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>取消</translation>
    </message>
</context>
<context>
    <name>Tasks</name>
    <message>
        <source>Mediation Desk</source>
        <translation>调解工作台</translation>
    </message>
</context>
</TS>

"""The seed competency framework: mindsets and skills for frontline sales managers, each with behavioural
anchors for levels 1-4 (what an interviewer or coach actually observes) and suggested interview
questions. `manage.py load_competencies` (and the demo) load it; leaders edit it afterwards."""

from dataclasses import dataclass

# 1: does it inconsistently or only when prompted. 2: does it reliably for their own team.
# 3: does it well under pressure and adapts it to each person or situation.
# 4: builds it into how the wider organization works; others copy it.
LEVEL_NAMES = {1: "Developing", 2: "Proficient", 3: "Advanced", 4: "Role model"}


@dataclass(frozen=True)
class CompetencySeed:
    key: str  # slug, stable, e.g. "coaching"
    name: str  # e.g. "Coaching"
    kind: str  # "mindset" or "skill"
    description: str  # one or two sentences: what it is and why it matters for a frontline sales manager
    anchors: tuple[str, str, str, str]  # level 1 (developing) .. level 4 (role model), 1-2 sentences each
    questions: tuple[str, ...]  # 3 suggested behavioural interview questions ("Tell me about a time...")


COMPETENCY_LIBRARY: tuple[CompetencySeed, ...] = (
    CompetencySeed(
        key="coaching",
        name="Coaching",
        kind="skill",
        description=(
            "Helping each seller improve specific skills through observation, feedback and deliberate practice. "
            "It is a frontline manager's biggest lever on attainment, because the team's number is the sum of "
            "the sellers' numbers."
        ),
        anchors=(
            "Gives feedback mostly when a seller asks or a deal slips; 1:1s drift into pipeline status updates "
            "and end without a specific skill for the seller to practice.",
            "Runs a weekly 1:1 per seller that reviews one recorded call against the team's talk track and ends "
            "with one practice commitment, which they check at the next 1:1.",
            "Protects coaching time even in quarter-end weeks, diagnoses whether a gap is skill or will, and "
            "tailors the method: role-play for a ramping hire, deal-strategy questioning for a veteran.",
            "Builds a shared call-review rubric and coaching cadence that peer managers adopt, trains other "
            "managers to coach, and can show attainment gains for sellers coached on a named skill.",
        ),
        questions=(
            "Walk me through your last 1:1 with a seller who was behind plan. What did you review, what did you "
            "ask them to practice, and what happened next?",
            "Tell me about a time you coached a seller through a skill gap you heard on recorded calls. How did "
            "you know it had improved?",
            "Tell me about a seller you coached who did not improve. What did you try, and what would you do "
            "differently?",
        ),
    ),
    CompetencySeed(
        key="storytelling",
        name="Storytelling",
        kind="skill",
        description=(
            "Turning data, customer outcomes and strategy into a clear narrative that moves people to act. "
            "Frontline managers use it to sell a change to their team, a deal to an executive sponsor and a plan "
            "to their own leader."
        ),
        anchors=(
            "Presents updates as lists of activities and numbers; when asked for the 'so what' in a forecast call "
            "or team meeting, struggles to state the point or the ask.",
            "Structures team meetings and forecast calls as situation, insight and ask, and shares a weekly win "
            "story that names the customer's problem, the seller's key move and the result.",
            "Reshapes the same message for each audience on the spot, such as business impact for a customer's "
            "CFO and next steps for the team, and holds the room when challenged.",
            "Runs a win-story format or library that other teams reuse in onboarding and QBRs; marketing and "
            "enablement pull their customer stories into campaigns and talk tracks.",
        ),
        questions=(
            "Tell me about a time you had to win your team over to a change they did not want. How did you frame "
            "it, and how did they respond?",
            "Walk me through how you presented a critical deal or a forecast risk to your leader. What story did "
            "you tell, and what did you ask for?",
            "Tell me about a customer story you used to help a seller or the team sell better. Where did it come "
            "from, and how did you use it?",
        ),
    ),
    CompetencySeed(
        key="mentorship",
        name="Mentorship",
        kind="mindset",
        description=(
            "Investing in people's long-term growth and careers beyond this quarter's number, and sharing "
            "hard-won judgment openly. It is how frontline managers keep strong sellers and grow the next "
            "generation of managers."
        ),
        anchors=(
            "Offers career advice when a seller raises it, usually in passing; conversations center on the "
            "current quarter and rarely return to the seller's longer-term goals.",
            "Holds a career conversation with each seller at least twice a year, writes down their goals, and "
            "gives each a stretch opportunity tied to them, such as leading a deal review.",
            "Keeps development conversations going through a bad quarter, adapts advice to each person's "
            "ambition (senior seller or future manager), and candidly shares own mistakes and lessons.",
            "Mentors people beyond own team, including new managers, sets up a peer-mentoring or buddy program "
            "that others run, and former team members credit them for their promotions.",
        ),
        questions=(
            "Tell me about someone whose career you helped develop. What did you do, over what period, and where "
            "are they now?",
            "Tell me about a time you shared one of your own mistakes to help someone on your team. What happened?",
            "Walk me through how you have supported a strong seller who wanted to move into management.",
        ),
    ),
    CompetencySeed(
        key="open-dialogue",
        name="Open dialogue",
        kind="mindset",
        description=(
            "Creating a team where sellers raise bad news, disagree and ask for help early, and where the manager "
            "listens and acts on what is said. Without it, deal risks and morale problems surface too late to fix."
        ),
        anchors=(
            "Asks for input at the end of meetings but often answers for the team; sellers tend to reveal "
            "slipping deals only after the forecast call.",
            "Asks sellers for their read on a deal before giving their own, thanks people for raising bad news "
            "early, and closes the loop on team feedback within a week.",
            "Keeps conversations open when tension is high, such as a missed quarter or a comp-plan change; "
            "invites dissent by name and changes course when someone makes the better argument.",
            "Makes candid debate a norm among peers as well as the team: runs blameless retros on lost deals and "
            "missed forecasts, and escalates frontline concerns upward with evidence leaders act on.",
        ),
        questions=(
            "Tell me about a time a seller disagreed with you on a deal strategy. How did the conversation go, "
            "and what did you decide?",
            "Walk me through how you find out about a slipping deal before the forecast call rather than after.",
            "Tell me about feedback from your team that changed how you manage. How did you get it, and what did "
            "you change?",
        ),
    ),
    CompetencySeed(
        key="talent-development",
        name="Talent development",
        kind="skill",
        description=(
            "Hiring, ramping and growing sellers into strong performers, and acting decisively on performance. "
            "A frontline manager's team composition sets the ceiling on what coaching and process can achieve."
        ),
        anchors=(
            "Ramps new sellers mainly by having them shadow whoever is free; spots underperformance late and "
            "addresses it only when HR or their own leader prompts.",
            "Runs a structured 30-60-90 day ramp with milestones (certified pitch, first qualified opportunity, "
            "first closed deal) and sets written development goals per seller, reviewed quarterly.",
            "Shortens ramp by adapting the plan to each hire's background, makes timely, evidence-based calls on "
            "performance plans, and keeps a bench of candidates for open territories.",
            "Designs the onboarding plan and hiring scorecard the organization adopts as standard, and regularly "
            "develops sellers who are promoted into senior or manager roles elsewhere.",
        ),
        questions=(
            "Walk me through how you ramped your most recent new seller. What did the first 90 days look like, "
            "and how long until their first closed deal?",
            "Tell me about a time you put a seller on a performance plan or managed them out. How did you decide, "
            "and how did you handle it?",
            "Tell me about a hire that did not work out. What did you learn, and what did you change in how you hire?",
        ),
    ),
    CompetencySeed(
        key="cross-functional-collaboration",
        name="Cross-functional collaboration",
        kind="skill",
        description=(
            "Working with marketing, RevOps, solutions engineering, customer success, product and legal to win "
            "and keep customers. Managers who partner well get resources, faster deal cycles and cleaner handoffs."
        ),
        anchors=(
            "Engages other teams mostly to escalate late-stage deal problems; requests to solutions engineering or "
            "legal often arrive late and without the context the other team needs.",
            "Holds regular syncs with solutions engineering and customer success counterparts, books SE time with "
            "a written deal brief, and gives marketing specific monthly feedback on lead quality.",
            "Resolves contention over scarce resources or handoffs by trading off against shared goals, such as "
            "negotiating SE coverage for a strategic deal, and frames each ask around the partner's priorities.",
            "Co-designs cross-team processes, such as the sales-to-CS handoff or lead-routing rules, with RevOps "
            "and marketing; partner teams name them their best sales counterpart and reuse the process.",
        ),
        questions=(
            "Tell me about a deal where you needed solutions engineering, legal or product to move faster than "
            "usual. How did you get their help?",
            "Tell me about a disagreement with marketing or RevOps, for example over lead quality or territory "
            "rules. How was it resolved?",
            "Walk me through how a closed deal passes from your team to customer success, and one thing you "
            "changed about that handoff.",
        ),
    ),
    CompetencySeed(
        key="business-acumen",
        name="Business acumen",
        kind="skill",
        description=(
            "Understanding how the company and its customers make money: pricing, margins, unit economics and "
            "the levers behind quota. It lets a frontline manager prioritize the right deals and coach sellers to "
            "sell on business value."
        ),
        anchors=(
            "Knows the team's quota and attainment but struggles to explain how discounting, deal mix or cycle "
            "length affect revenue; deal reviews center on product features.",
            "Coaches sellers to quantify customer impact and build a value case, knows the discount guardrails and "
            "their margin effect, and prioritizes deals by size, fit and likelihood to close.",
            "Makes sound commercial trade-offs under pressure, such as walking away from a deep-discount deal at "
            "quarter end, and reads each customer's financials to shape the deal strategy.",
            "Shapes territory, pricing or packaging decisions with finance and leadership using field evidence; "
            "other managers adopt their value-selling approach and business-case templates.",
        ),
        questions=(
            "Tell me about a deal where you pushed back on discounting or walked away. How did you weigh the decision?",
            "Walk me through how you closed, or tried to close, a gap to quota with only a few weeks left in the "
            "quarter.",
            "Tell me about a time you helped a seller build a business case for a customer's CFO. What numbers "
            "did you use, and where did they come from?",
        ),
    ),
    CompetencySeed(
        key="data-driven-decisions",
        name="Data-driven decisions",
        kind="skill",
        description=(
            "Using CRM, activity and conversation data to find where the team is stuck, decide what to change "
            "and check whether it worked. It aims coaching and resources at the real bottleneck, not the loudest "
            "deal."
        ),
        anchors=(
            "Looks at dashboards when leadership asks; decisions on where to coach or which deals to prioritize "
            "rest mostly on gut feel and the most recent anecdote.",
            "Reviews funnel conversion, activity and win rates per seller each week, names the stage where each "
            "seller loses deals, and sets that seller's coaching focus from it.",
            "Questions data quality before trusting a number, combines metrics with call reviews and seller "
            "context, reacts quickly to mid-quarter shifts, and measures whether a change moved the result.",
            "Builds team dashboards or analyses with RevOps that other managers adopt, and uses evidence to "
            "influence organization decisions such as territory design or lead routing.",
        ),
        questions=(
            "Tell me about a time data showed you something about your team you did not expect. What did you do "
            "with it?",
            "Walk me through the metrics you look at each week, and a decision one of them changed last quarter.",
            "Tell me about a time the data and your instinct disagreed about a seller or a deal. Which did you "
            "follow, and what happened?",
        ),
    ),
    CompetencySeed(
        key="change-and-ai-adoption",
        name="Change and AI adoption",
        kind="mindset",
        description=(
            "Embracing new tools, processes and ways of working, including AI, and leading the team through the "
            "change. Frontline managers decide whether a new CRM workflow or AI assistant becomes daily practice "
            "or shelfware."
        ),
        anchors=(
            "Uses new tools such as AI call summaries when required, but rarely checks their output or encourages "
            "the team to use them, and reverts to old habits under pressure.",
            "Uses AI call summaries and prospecting assistants in their own work, sets clear expectations for the "
            "team's use of them, and checks adoption and output quality in 1:1s.",
            "Wins over skeptical sellers by explaining the why, piloting with early adopters and adapting support "
            "per person; sustains the change in a busy quarter and checks AI output before customers see it.",
            "Pilots new tools and workflows for the organization, writes the playbook and guardrails other teams "
            "follow, and feeds results to RevOps and enablement to shape rollout decisions.",
        ),
        questions=(
            "Tell me about a new tool or process you rolled out to your team. How did you get sellers to actually "
            "use it?",
            "Walk me through how you and your team use AI tools today, for example for call summaries or "
            "prospecting research, and how you check what they produce.",
            "Tell me about a change you led that met resistance. What did you do, and what was the result?",
        ),
    ),
    CompetencySeed(
        key="customer-centricity",
        name="Customer-centricity",
        kind="mindset",
        description=(
            "Keeping the customer's problem and outcomes at the center of how the team sells, forecasts and hands "
            "off. It builds trust, reduces churn and makes deals larger and easier to close."
        ),
        anchors=(
            "Talks about customers mainly in terms of deal size and close date, and joins customer calls "
            "occasionally, usually when a deal is already at risk.",
            "Asks in every deal review what problem the customer is solving and how they will measure success, "
            "joins customer calls regularly, and ensures clean handoffs to customer success.",
            "Advocates for the customer when pressure to close rises, such as declining to push a poor-fit deal, "
            "and adapts the team's approach to each customer's buying process.",
            "Brings customer insight into product, marketing and CS decisions, runs win-loss or advisory sessions "
            "that other teams replicate, and is asked for by name by customers.",
        ),
        questions=(
            "Tell me about a time you put a customer's interests ahead of closing a deal this quarter. What happened?",
            "Walk me through how you make sure your team understands a customer's business problem before "
            "proposing a solution.",
            "Tell me about a customer insight you brought back to product, marketing or customer success. What "
            "changed as a result?",
        ),
    ),
    CompetencySeed(
        key="resilience",
        name="Resilience",
        kind="mindset",
        description=(
            "Staying steady, constructive and focused through rejection, lost deals, missed quarters and "
            "reorganizations. Frontline managers set the emotional tone of the team, so sellers copy how they "
            "respond to setbacks."
        ),
        anchors=(
            "Recovers from setbacks such as a lost key deal but shows frustration to the team, and may retreat "
            "into working deals personally instead of coaching.",
            "Responds to a missed month or lost deal with a calm debrief and a concrete recovery plan, keeps 1:1s "
            "and team rituals running, and manages own energy across the quarter.",
            "Stays composed through severe setbacks like a missed quarter or a reorganization, reads how each "
            "seller is coping and adjusts support, and keeps the team on what it controls.",
            "Builds team practices such as loss debriefs and recovery plans that other teams adopt; peers seek "
            "them out after setbacks, and they share the lessons openly across the organization.",
        ),
        questions=(
            "Tell me about your toughest quarter as a manager. How did you respond, and how did you keep the team "
            "going?",
            "Tell me about a time you lost a deal the team was counting on. What did you do in the following week?",
            "Walk me through how you noticed a seller struggling after repeated losses, and how you helped them.",
        ),
    ),
    CompetencySeed(
        key="pipeline-and-forecast-discipline",
        name="Pipeline and forecast discipline",
        kind="skill",
        description=(
            "Running a rigorous pipeline and forecast cadence: qualified opportunities, clean CRM data and a "
            "commit the business can plan on. Forecast accuracy is how a frontline manager earns leadership's "
            "trust and resources."
        ),
        anchors=(
            "Holds pipeline reviews irregularly, accepts sellers' close dates at face value, and submits a "
            "forecast that often moves late in the quarter; CRM fields are frequently stale.",
            "Runs a weekly pipeline review per seller against a shared qualification framework such as MEDDICC, "
            "enforces CRM hygiene (next step, close date, amount), and lands the forecast within about 10%.",
            "Inspects deals on evidence rather than optimism, calls risk early in forecast calls, adjusts "
            "coverage plans per seller, and keeps the forecast accurate in volatile quarters.",
            "Designs the pipeline review and forecast cadence that RevOps rolls out across teams; leadership "
            "relies on their number, and other managers copy their inspection questions.",
        ),
        questions=(
            "Walk me through how you run your weekly pipeline review. What do you ask about a deal in commit?",
            "Tell me about a forecast you got wrong. What happened, and what did you change in your process?",
            "Tell me about a time you challenged a seller's close date or deal stage. What evidence did you use?",
        ),
    ),
)

import { mailSender } from './stage';

/** The SES sender identity alert mail goes out from (see `mailSender`). */
export const email = new sst.aws.Email('Email', { sender: mailSender($app.stage, process.env.DRUMBEAT_MAIL_SENDER) });
